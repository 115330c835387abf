// Argon2id hashing/verification via libsodium and bcrypt verification via crypt_r.
#include "auth/password.hpp"

#include <crypt.h>
#include <sodium.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "auth/sodium_init.hpp"

namespace tagwatch {

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19 * 1024 * 1024;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool verify_bcrypt(std::string_view password, std::string_view hash) {
    // crypt_r reads C strings: a NUL inside the password would cut it short and let
    // a prefix of the real password through.
    if (password.find('\0') != std::string_view::npos || hash.find('\0') != std::string_view::npos)
        return false;
    const std::string pw(password), setting(hash);
    // struct crypt_data is about 32 KiB: too big for a worker's stack frame habits,
    // and it must start zeroed.
    auto data = std::make_unique<crypt_data>();
    const char* result = crypt_r(pw.c_str(), setting.c_str(), data.get());
    bool ok = false;
    if (result && result[0] == '$') {
        const std::string_view computed(result);
        ok = computed.size() == hash.size() &&
             sodium_memcmp(computed.data(), hash.data(), hash.size()) == 0;
    }
    sodium_memzero(data.get(), sizeof(crypt_data));
    return ok;
}

}  // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0)
        throw std::runtime_error("cannot hash the password: not enough memory for Argon2id");
    return std::string(out);
}

bool verify_password(std::string_view password, std::string_view hash) {
    if (starts_with(hash, "$argon2id$")) {
        if (hash.size() >= crypto_pwhash_STRBYTES || hash.find('\0') != std::string_view::npos)
            return false;
        ensure_sodium();
        const std::string h(hash);
        return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
    }
    if (starts_with(hash, "$2a$") || starts_with(hash, "$2b$") || starts_with(hash, "$2y$"))
        return verify_bcrypt(password, hash);
    return false;
}

}  // namespace tagwatch
