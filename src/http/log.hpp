// The log: one line per request (method, path, status, time taken, user) and the
// server's own warnings, filtered by log_level, to stderr (which the web server or
// systemd collects) or to log_file. Never a password, token or query string.
#pragma once

#include <string>
#include <string_view>

#include "http/adapter.hpp"

namespace tagwatch {

enum class LogLevel { debug = 0, info = 1, warning = 2, error = 3 };

// Sets the level ("debug", "info", "warning", "error") and the file ("" = stderr).
// Throws std::runtime_error when the file cannot be opened for appending.
void configure_log(const std::string& level, const std::string& file);
void log_message(LogLevel level, std::string_view text);
// The access-log callback for ServeOptions::log.
RequestLogger access_logger();

}  // namespace tagwatch
