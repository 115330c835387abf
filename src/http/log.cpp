// The log's state for this process and its line format.
#include "http/log.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "util/clock.hpp"

namespace tagwatch {

namespace {
LogLevel g_level = LogLevel::info;
int g_fd = 2;

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warning:
            return "warning";
        default:
            return "error";
    }
}

}  // namespace

void configure_log(const std::string& level, const std::string& file) {
    if (level == "debug")
        g_level = LogLevel::debug;
    else if (level == "warning")
        g_level = LogLevel::warning;
    else if (level == "error")
        g_level = LogLevel::error;
    else
        g_level = LogLevel::info;
    if (!file.empty()) {
        int fd = open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd < 0)
            throw std::runtime_error("cannot open log_file " + file + ": " + std::strerror(errno));
        g_fd = fd;
    }
}

namespace {

// The start of a line, "2026-01-02T03:04:05Z tagwatch[123] ", made again only when the
// second or the process changes (a worker logs thousands of lines a second under load).
const std::string& line_prefix() {
    static std::string prefix;
    static std::time_t made_at = -1;
    static pid_t made_for = -1;
    static pid_t pid = getpid();
    static const bool fork_handler = pthread_atfork(nullptr, nullptr, [] { pid = getpid(); }) == 0;
    (void)fork_handler;
    std::time_t now = std::time(nullptr);
    if (now != made_at || pid != made_for) {
        prefix = iso_utc(now) + " tagwatch[" + std::to_string(pid) + "] ";
        made_at = now;
        made_for = pid;
    }
    return prefix;
}

}  // namespace

void log_message(LogLevel level, std::string_view text) {
    if (level < g_level) return;
    std::string line;
    line.reserve(96 + text.size());
    line += line_prefix();
    line += level_name(level);
    line += ' ';
    line += text;
    line += '\n';
    // One write() per line, so that lines of several workers never interleave (O_APPEND).
    ssize_t ignored = write(g_fd, line.data(), line.size());
    (void)ignored;
}

RequestLogger access_logger() {
    return [](const Request& request, const Response& response, double ms) {
        LogLevel level = response.status >= 500 ? LogLevel::error : LogLevel::info;
        if (level < g_level) return;
        char took[32];
        std::snprintf(took, sizeof took, "%.1fms", ms);
        // The path is written percent-encoded where it would break the line into other
        // fields (spaces, control bytes) or forge one: every line splits the same way.
        std::string path;
        for (unsigned char c : request.path) {
            if (c <= 0x20 || c == 0x7f || c == '%') {
                char esc[4];
                std::snprintf(esc, sizeof esc, "%%%02X", c);
                path += esc;
            } else {
                path += static_cast<char>(c);
            }
        }
        log_message(level, request.method + " " + path + " " + std::to_string(response.status) +
                               " " + took + " user=" + (request.user.empty() ? "-" : request.user));
    };
}

}  // namespace tagwatch
