// Per-user file names in <datadir>/users/, as TimeTagger names them:
// "<clean>~<b64>.db", clean = the name with every character outside
// A-Z a-z 0-9 - _ replaced by '-', b64 = URL-safe base64 (padded) of its UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tagwatch {

// The file name (no directory) of a user's store. Never contains '/' or "..":
// the clean part has only [A-Za-z0-9_-] and URL-safe base64 only [A-Za-z0-9_=-].
std::string user_filename(std::string_view username);

// The username a file name belongs to, or nullopt when the name is not one that
// user_filename produces (wrong shape, bad base64, not UTF-8, mismatching clean part).
std::optional<std::string> username_from_filename(std::string_view filename);

}  // namespace tagwatch
