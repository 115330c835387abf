// Owns the one-time libsodium initialisation shared by src/auth.
#include "auth/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace tagwatch {

void ensure_sodium() {
    // A function-local static is initialised exactly once, even with threads;
    // sodium_init() itself is also safe to call again (returns 1).
    static const int result = sodium_init();
    if (result < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace tagwatch
