// Password hashing and checking: Argon2id (libsodium) for every new hash, and bcrypt
// (libcrypt's crypt_r) so that a TimeTagger setup's hashes keep working.
#pragma once

#include <string>
#include <string_view>

namespace tagwatch {

// An Argon2id string as libsodium writes it ($argon2id$v=19$m=19456,t=2,p=1$...):
// 2 passes over 19 MiB, so a login fits a shared host's memory limit.
// Throws std::runtime_error when the memory cannot be had.
std::string hash_password(std::string_view password);

// True when `password` matches `hash`: $argon2id$ through libsodium, $2a$/$2b$/$2y$
// through crypt_r with a constant-time comparison. Any other or malformed hash, or a
// password containing a NUL byte, gives false.
bool verify_password(std::string_view password, std::string_view hash);

}  // namespace tagwatch
