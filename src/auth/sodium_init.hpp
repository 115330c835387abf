// ensure_sodium(): initialises libsodium once per process before any call that
// needs it (random bytes, Argon2id). Cheap after the first call.
#pragma once

namespace tagwatch {

// Throws std::runtime_error if libsodium cannot initialise (no entropy source).
void ensure_sodium();

}  // namespace tagwatch
