// Private folders, whole-file reads and atomic replacement; see file.hpp.
#include "util/file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tagwatch {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

// A name no other process or thread picks at the same moment.
std::string unique_suffix() {
    unsigned long long r = 0;
    if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) r = 0;
    static std::atomic<unsigned long long> counter{0};
    return std::to_string(::getpid()) + "." + std::to_string(r) + "." + std::to_string(++counter);
}

}  // namespace

bool read_all(int fd, std::string& out, size_t max_bytes) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (n == 0) return true;
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > max_bytes) {
            errno = EFBIG;
            return false;
        }
    }
}

bool write_all(int fd, std::string_view data) {
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

std::vector<std::string> make_private_dirs(const std::string& dir) {
    std::vector<std::string> made;
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return made;  // the usual case
    for (size_t slash = 0; slash != std::string::npos;) {
        slash = dir.find('/', slash + 1);
        const std::string part = dir.substr(0, slash);
        if (part.empty() || part == "/") continue;
        if (::mkdir(part.c_str(), 0700) == 0) {
            made.push_back(part);
        } else if (errno != EEXIST) {
            fail("cannot create the folder", part, errno);
        }
    }
    if (::stat(dir.c_str(), &st) != 0) fail("cannot create the folder", dir, errno);
    if (!S_ISDIR(st.st_mode)) throw std::runtime_error(dir + " is not a folder");
    return made;
}

std::optional<std::string> read_file_if_exists(const std::string& path, size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("cannot read", path, errno);
    }
    std::string content;
    if (!read_all(fd, content, max_bytes)) {
        const int err = errno;
        ::close(fd);
        if (err == EFBIG)
            throw std::runtime_error(path + " is larger than " + std::to_string(max_bytes) +
                                     " bytes");
        fail("cannot read", path, err);
    }
    ::close(fd);
    return content;
}

std::string read_file(const std::string& path) {
    auto content = read_file_if_exists(path);
    if (!content) fail("cannot read", path, ENOENT);
    return std::move(*content);
}

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
    const std::string temp = path + ".tmp-" + unique_suffix();
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot write", path, errno);
    // The umask may only take bits away; the mode asked for is the mode given.
    bool ok =
        ::fchmod(fd, static_cast<mode_t>(mode)) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (ok && ::rename(temp.c_str(), path.c_str()) != 0) ok = false, err = errno;
    if (!ok) {
        ::unlink(temp.c_str());  // never leave a half-written file behind
        fail("cannot write", path, err);
    }
    // Make the rename itself durable.
    const size_t slash = path.find_last_of('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace tagwatch
