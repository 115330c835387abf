// The server's token-signing secret, <datadir>/jwt.key: read it, or make it once
// (atomically, so that of several processes starting together one wins and all use
// its key).
#pragma once

#include <string>

#include "store/store.hpp"

namespace tagwatch {

// Returns the trimmed content of <datadir>/jwt.key. When the file is missing, creates
// datadir (mode 0700, parents too) and the key: 43 URL-safe characters from 32 random
// bytes, written to a temporary file of mode 0600 that is then hard-linked to jwt.key,
// so the key appears complete or not at all; if another process linked first, its key
// is read and returned. Throws std::runtime_error saying what is wrong when the key
// cannot be made or read, or is empty, a directory or no regular file; the message names
// the file as "jwt.key in the data folder", never by its path, so a server may answer it.
std::string load_or_create_jwt_key(const std::string& datadir);

// A new key: 43 URL-safe characters from 32 random bytes.
std::string new_jwt_key();

// The key of the database's shared state when its engine keeps one (PostgreSQL: made there
// when missing, one host wins), else <datadir>/jwt.key as above.
std::string load_or_create_jwt_key(Database& database, const std::string& datadir);

}  // namespace tagwatch
