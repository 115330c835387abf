// Parsing and writing of password credentials (setting and file).
#include "auth/credentials.hpp"

#include <sodium.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "auth/sodium_init.hpp"
#include "util/file.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool valid_bcrypt(std::string_view h) {
    // $2b$10$ + 22 characters of salt + 31 of hash, in bcrypt's own alphabet.
    if (h.size() != 60 || h[3] != '$' || h[6] != '$') return false;
    if (!(h[4] >= '0' && h[4] <= '3' && h[5] >= '0' && h[5] <= '9')) return false;
    const int cost = (h[4] - '0') * 10 + (h[5] - '0');
    if (cost < 4 || cost > 31) return false;
    for (const char c : h.substr(7))
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '/'))
            return false;
    return true;
}

// For messages: the user's name when it is printable, else a marker.
std::string shown(std::string_view name) {
    if (valid_utf8(name) && name.size() <= 100) return "'" + std::string(name) + "'";
    return "(a name that is not valid UTF-8 or too long)";
}

// Checks one "user:hash" entry; `where` prefixes the messages.
std::pair<std::string, std::string> parse_entry(std::string_view entry, const std::string& where) {
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
        // Show only the start: a mistyped entry may hold a password.
        const std::string start(entry.substr(0, 12));
        throw std::invalid_argument(where + "'" + start + (entry.size() > 12 ? "...'" : "'") +
                                    " is not user:hash");
    }
    const std::string_view user = trim(entry.substr(0, colon));
    const std::string_view hash = trim(entry.substr(colon + 1));
    if (!valid_username(user))
        throw std::invalid_argument(
            where + "bad user name " + shown(user) +
            " (1 to 100 bytes of UTF-8 without ':', ',', ';' or control characters)");
    if (!starts_with(hash, "$argon2id$") && !starts_with(hash, "$2a$") &&
        !starts_with(hash, "$2b$") && !starts_with(hash, "$2y$"))
        throw std::invalid_argument(where + "the hash of user " + shown(user) +
                                    " must start with $argon2id$, $2a$, $2b$ or $2y$");
    if (!valid_password_hash(hash))
        throw std::invalid_argument(where + "the hash of user " + shown(user) + " is malformed");
    return {std::string(user), std::string(hash)};
}

// True when a ',' or ';' at the end of `before` starts a new entry: the rest has the
// form `name:$`, or nothing at all (a trailing separator).
bool separator_before(std::string_view rest) {
    rest = trim(rest);
    if (rest.empty()) return true;
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    if (rest.substr(0, colon).find_first_of(",;") != std::string_view::npos) return false;
    return trim(rest.substr(colon + 1)).substr(0, 1) == "$";
}

}  // namespace

bool valid_username(std::string_view name) {
    if (name.empty() || name.size() > 100 || !valid_utf8(name)) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c == 0x7F || c == ':' || c == ',' || c == ';') return false;
        // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
        if (c == 0xC2 && static_cast<unsigned char>(name[i + 1]) <= 0x9F) return false;
    }
    return true;
}

bool valid_password_hash(std::string_view hash) {
    if (starts_with(hash, "$argon2id$")) {
        if (hash.size() >= crypto_pwhash_STRBYTES || hash.find('\0') != std::string_view::npos)
            return false;
        ensure_sodium();
        // needs_rehash parses the whole string and answers -1 when it is not one.
        const std::string h(hash);
        return crypto_pwhash_str_needs_rehash(h.c_str(), 2, 19 * 1024 * 1024) != -1;
    }
    if (starts_with(hash, "$2a$") || starts_with(hash, "$2b$") || starts_with(hash, "$2y$"))
        return valid_bcrypt(hash);
    return false;
}

Credentials parse_credentials_setting(std::string_view text) {
    std::vector<std::string_view> entries;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((text[i] == ',' || text[i] == ';') && separator_before(text.substr(i + 1))) {
            entries.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    entries.push_back(text.substr(start));

    Credentials result;
    int number = 0;
    for (const auto raw : entries) {
        const std::string_view entry = trim(raw);
        if (entry.empty()) continue;
        ++number;
        const std::string where = "credentials entry " + std::to_string(number) + ": ";
        auto [user, hash] = parse_entry(entry, where);
        if (result.count(user))
            throw std::invalid_argument(where + "user " + shown(user) + " is given twice");
        result.emplace(std::move(user), std::move(hash));
    }
    return result;
}

Credentials parse_credentials_file(const std::string& path) {
    std::optional<std::string> content;
    try {
        content = read_file_if_exists(path);
    } catch (const std::runtime_error& e) {
        throw std::invalid_argument(std::string("the credentials file: ") + e.what());
    }
    if (!content) return {};

    Credentials result;
    std::istringstream in(*content);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::string_view entry = trim(line);
        if (entry.empty() || entry.front() == '#') continue;
        const std::string where = path + ":" + std::to_string(number) + ": ";
        auto [user, hash] = parse_entry(entry, where);
        if (result.count(user))
            throw std::invalid_argument(where + "user " + shown(user) + " is given twice");
        result.emplace(std::move(user), std::move(hash));
    }
    return result;
}

void write_credentials_file(const std::string& path, const Credentials& credentials) {
    std::string text =
        "# tagwatch password credentials: one user:hash a line (Argon2id, or bcrypt kept\n"
        "# from TimeTagger). Edited by the admin command; entries of the credentials\n"
        "# setting override the ones here for the same user.\n";
    for (const auto& [user, hash] : credentials) {
        const std::string where = "credentials for " + shown(user) + ": ";
        if (!valid_username(user)) throw std::invalid_argument(where + "bad user name");
        if (!valid_password_hash(hash) || hash.find_first_of("\r\n") != std::string::npos)
            throw std::invalid_argument(where + "not a usable password hash");
        text += user + ":" + hash + "\n";
    }

    write_file_atomically(path, text, 0600);
}

}  // namespace tagwatch
