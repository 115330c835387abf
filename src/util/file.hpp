// Files of the data folder, written once for every layer: private folders made as
// `mkdir -p` does, a whole file read, and a file replaced atomically and durably (a reader
// sees the old content or the new, never half of it, and a power cut keeps one of them).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tagwatch {

// Makes `dir` and every missing parent with mode 0700 (the data folder holds secrets) and
// returns the folders it made, outermost first. Throws std::runtime_error naming the path
// when one cannot be made or `dir` exists and is not a folder.
std::vector<std::string> make_private_dirs(const std::string& dir);

// The whole content of `path`; nullopt when it does not exist. Throws std::runtime_error
// naming the path on any other failure, and when the file is larger than `max_bytes`.
std::optional<std::string> read_file_if_exists(const std::string& path,
                                               size_t max_bytes = static_cast<size_t>(-1));

// The whole content of `path`; throws std::runtime_error naming the path on any failure,
// a missing file included.
std::string read_file(const std::string& path);

// Reads `fd` to its end into `out`, past interruptions. False on an error, with errno
// saying which (EFBIG once more than `max_bytes` were read).
bool read_all(int fd, std::string& out, size_t max_bytes = static_cast<size_t>(-1));

// Writes all of `data` to `fd`, past short writes and interruptions. False on an error,
// with errno saying which.
bool write_all(int fd, std::string_view data);

// Replaces `path` with `content`, file mode `mode` whatever the umask: written to a new
// file beside it, synced, renamed over it, and the folder synced. Throws
// std::runtime_error naming the path; no temporary file is left behind.
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode);

}  // namespace tagwatch
