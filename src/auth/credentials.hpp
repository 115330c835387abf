// Who may log in with a password: user names, the `credentials` setting
// ("user1:hash1,user2:hash2") and the <datadir>/credentials file the admin command
// edits (one user:hash a line).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace tagwatch {

// 1 to 100 bytes of valid UTF-8 without ':', ',', ';' or control characters
// (C0, DEL and C1).
bool valid_username(std::string_view name);

// True for hashes verify_password understands, in a well-formed shape: a libsodium
// $argon2id$ string or a 60-character bcrypt $2a$/$2b$/$2y$ string.
bool valid_password_hash(std::string_view hash);

using Credentials = std::map<std::string, std::string>;  // user -> hash

// Parses the setting. ',' and ';' separate entries only where the text after them
// (after spaces) has the form `name:$`, because Argon2id hashes contain commas.
// Whitespace around entries is ignored, and so are empty entries (a trailing comma).
// Throws std::invalid_argument naming the entry that does not parse (no ':', bad user name,
// unknown or malformed hash, a user given twice). Empty text gives an empty map.
Credentials parse_credentials_setting(std::string_view text);

// One user:hash per line; blank lines and lines starting with '#' are ignored. A
// missing file gives an empty map; an unreadable file or a bad line throws
// std::invalid_argument ("path:line: ...").
Credentials parse_credentials_file(const std::string& path);

// Writes the file atomically (temporary file of mode 0600, fsync, rename) with a
// header comment, users sorted. Throws std::invalid_argument for an entry that would not read
// back, std::runtime_error when the file cannot be written.
void write_credentials_file(const std::string& path, const Credentials& credentials);

}  // namespace tagwatch
