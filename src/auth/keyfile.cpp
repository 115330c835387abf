// Loading and race-free creation of <datadir>/jwt.key.
#include "auth/keyfile.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

#include "auth/sodium_init.hpp"
#include "util/base64.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace tagwatch {

std::string new_jwt_key();

namespace {

// The messages name the key file as "jwt.key in the data folder", never by its whole path:
// the server answers them to clients (503) while the file cannot be used.
[[noreturn]] void fail(const std::string& what, int err) {
    throw std::runtime_error(what + " (" + std::strerror(err) + ")");
}

constexpr const char* kRemedy =
    "; remove it and a new key is made (every token then becomes invalid)";

// The file's content, or nullopt when it does not exist. O_NONBLOCK: a FIFO put in its
// place must not hang the worker; anything but a regular file is refused.
std::optional<std::string> read_if_exists(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("the token key jwt.key in the data folder cannot be read", errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const bool dir = S_ISDIR(st.st_mode);
        ::close(fd);
        throw std::runtime_error(std::string("the token key jwt.key in the data folder is ") +
                                 (dir ? "a directory, not a file" : "not a regular file") +
                                 kRemedy);
    }
    std::string content;
    if (!read_all(fd, content, 4096)) {
        const int err = errno;
        ::close(fd);
        if (err == EFBIG)
            throw std::runtime_error(
                std::string("the token key jwt.key in the data folder is too large to be a key") +
                kRemedy);
        fail("the token key jwt.key in the data folder cannot be read", err);
    }
    ::close(fd);
    return content;
}

// Makes the key file unless it exists. Returns normally whether this process or
// another one created it.
void create_key_file(const std::string& dir, const std::string& path) {
    const std::string key = new_jwt_key();
    unsigned char tag[8];
    randombytes_buf(tag, sizeof tag);
    const std::string tmp =
        dir + "/.jwt.key." + std::to_string(::getpid()) + "." +
        base64url_encode(std::string_view(reinterpret_cast<char*>(tag), sizeof tag), false) +
        ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create the token key jwt.key in the data folder", errno);
    // The umask can only remove bits, but be explicit: the key must be private.
    const bool written = ::fchmod(fd, 0600) == 0 && write_all(fd, key) && ::fsync(fd) == 0;
    const int write_err = errno;
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        fail("cannot write the token key jwt.key in the data folder", write_err);
    }
    // link() never replaces an existing file: exactly one creator wins, and the key
    // is complete the moment its name appears.
    const int linked = ::link(tmp.c_str(), path.c_str());
    const int link_err = errno;
    ::unlink(tmp.c_str());
    if (linked == 0 || link_err == EEXIST) return;
    if (link_err == EPERM || link_err == ENOTSUP || link_err == EOPNOTSUPP || link_err == ENOSYS) {
        // A filesystem without hard links: O_EXCL still picks one winner; a reader may
        // briefly see the file empty, which load_or_create_jwt_key waits out.
        const int fd2 = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd2 < 0) {
            if (errno == EEXIST) return;
            fail("cannot create the token key jwt.key in the data folder", errno);
        }
        const bool ok = write_all(fd2, key) && ::fsync(fd2) == 0;
        const int err = errno;
        ::close(fd2);
        if (!ok) fail("cannot write the token key jwt.key in the data folder", err);
        return;
    }
    fail("cannot create the token key jwt.key in the data folder", link_err);
}

}  // namespace

std::string new_jwt_key() {
    ensure_sodium();
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    std::string key =
        base64url_encode(std::string_view(reinterpret_cast<char*>(raw), sizeof raw), false);
    sodium_memzero(raw, sizeof raw);
    return key;
}

std::string load_or_create_jwt_key(Database& database, const std::string& datadir) {
    if (auto stored = database.shared_jwt_key(new_jwt_key)) {
        std::string key(trim(*stored));
        if (key.empty()) throw std::runtime_error("the token key in the database is empty");
        return key;
    }
    return load_or_create_jwt_key(datadir);
}

std::string load_or_create_jwt_key(const std::string& datadir) {
    const std::string dir = datadir.empty() ? "." : datadir;
    const std::string path = dir + "/jwt.key";
    auto content = read_if_exists(path);
    if (!content) {
        try {
            make_private_dirs(dir);
        } catch (const std::exception&) {
            // Its message names the path; this one may be answered to a client.
            throw std::runtime_error("the data folder cannot be made or is not a folder");
        }
        create_key_file(dir, path);
        content = read_if_exists(path);
        if (!content)
            throw std::runtime_error(
                "the token key jwt.key in the data folder cannot be read (it is gone right after "
                "it was made)");
    }
    // Only the no-hard-link fallback can show a key half written; give its writer a moment.
    for (int attempt = 0; attempt < 20 && trim(*content).empty(); ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        content = read_if_exists(path);
        if (!content) break;
    }
    std::string key = content ? std::string(trim(*content)) : std::string();
    if (key.empty())
        throw std::runtime_error(std::string("the token key jwt.key in the data folder is empty") +
                                 kRemedy);
    return key;
}

}  // namespace tagwatch
