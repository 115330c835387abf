// The throttle's SQLite file (one table of recent failures), its queries, and the
// LoginGuard that the server calls around each password check.
#include "throttle/throttle.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include "config/config.hpp"
#include "http/log.hpp"
#include "model/errors.hpp"
#include "util/clock.hpp"

namespace tagwatch {

namespace {

constexpr int kBusyTimeoutMs = 5000;
// Longer user names are cut: the key only needs to tell users apart, and a client must
// not grow the file with a 64 KiB "user name".
constexpr size_t kMaxSubjectBytes = 256;

std::string user_subject(std::string_view username) {
    return "user:" + std::string(username.substr(0, kMaxSubjectBytes));
}

std::string address_subject(std::string_view address) {
    return "addr:" + throttle_address_key(address.substr(0, kMaxSubjectBytes));
}

bool is_corruption(int rc) {
    int primary = rc & 0xFF;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

struct ThrottleDbError : std::runtime_error {
    int code;
    ThrottleDbError(int code_, const std::string& message) : std::runtime_error(message), code(code_) {}
};

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
    int primary = rc & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw StoreBusy("the login throttle's file is busy, try again shortly");
    throw ThrottleDbError(rc, "login throttle: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

class Statement {
   public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, sql);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int i, const std::string& text) {
        sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, double value) { sqlite3_bind_double(stmt_, i, value); }
    void bind(int i, int value) { sqlite3_bind_int(stmt_, i, value); }
    // True while there is a row.
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, sqlite3_sql(stmt_));
    }
    double column_double(int i) { return sqlite3_column_double(stmt_, i); }
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, sql);
}

}  // namespace

std::string throttle_address_key(std::string_view address) {
    std::string text(address);
    unsigned char bytes[16];
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return text;
    if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char out[INET6_ADDRSTRLEN];
    if (std::memcmp(bytes, mapped, 12) == 0) {
        inet_ntop(AF_INET, bytes + 12, out, sizeof out);
        return out;
    }
    std::memset(bytes + 8, 0, 8);
    inet_ntop(AF_INET6, bytes, out, sizeof out);
    return std::string(out) + "/64";
}

std::string throttle_path(const std::string& datadir) {
    std::string dir = datadir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return dir + "/throttle.db";
}

struct LoginThrottle::Impl {
    sqlite3* db = nullptr;
    pid_t owner = 0;  // the process that opened db
    std::mutex mutex;
    std::function<double()> clock = now_seconds;
};

LoginThrottle::LoginThrottle(std::string path, std::string journal_mode, ThrottleLimits limits)
    : path_(std::move(path)), journal_mode_(std::move(journal_mode)), limits_(limits), impl_(std::make_unique<Impl>()) {
    if (journal_mode_ != "wal" && journal_mode_ != "delete")
        throw std::invalid_argument("login throttle: journal_mode must be wal or delete, not " + journal_mode_);
    if (limits_.user_failures < 1 || limits_.address_failures < 1 || !(limits_.window_seconds > 0))
        throw std::invalid_argument("login throttle: the limits must be positive");
}

LoginThrottle::~LoginThrottle() {
    // A connection inherited through fork() belongs to the parent: leave it alone.
    if (impl_->db && impl_->owner == getpid()) sqlite3_close_v2(impl_->db);
}

void LoginThrottle::set_clock(std::function<double()> clock) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->clock = std::move(clock);
}

namespace {

// Opens the file (made with mode 0600 first: SQLite would make it 0644, and the WAL and
// shared-memory files take the main file's mode) and its table.
sqlite3* open_throttle_db(const std::string& path, const std::string& journal_mode) {
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("login throttle: cannot open " + path + ": " + std::strerror(errno));
    close(fd);
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "login throttle: cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        throw ThrottleDbError(rc, message);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // Workers that start together all set up a file that does not exist yet. Changing the
    // journal mode needs the file to itself, and SQLite answers "busy" at once there instead
    // of waiting in its busy handler: so try again for up to the busy timeout.
    for (int waited_ms = 0;; waited_ms += 10) {
        try {
            std::string current;
            {
                Statement q(db, "PRAGMA journal_mode");
                if (q.step()) current = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
            }
            if (current != journal_mode) {
                std::string mode = "PRAGMA journal_mode=" + journal_mode;
                exec(db, mode.c_str());
            }
            // Losing the last failures in a power cut is harmless; an fsync per login is not free.
            exec(db, "PRAGMA synchronous=NORMAL");
            exec(db,
                 "CREATE TABLE IF NOT EXISTS failures (subject TEXT NOT NULL, t REAL NOT NULL);"
                 "CREATE INDEX IF NOT EXISTS idx_failures_subject_t ON failures (subject, t);"
                 "CREATE INDEX IF NOT EXISTS idx_failures_t ON failures (t);");
            return db;
        } catch (const StoreBusy&) {
            if (waited_ms >= kBusyTimeoutMs) {
                sqlite3_close(db);
                throw;
            }
            sqlite3_sleep(10);
        } catch (...) {
            sqlite3_close(db);
            throw;
        }
    }
}

// Runs `work` on the process's connection, opening it first when needed. A corrupt file is
// moved out of the way once and made anew: it only holds the last few minutes' failures.
template <typename Work>
auto with_db(LoginThrottle::Impl& impl, const std::string& path, const std::string& journal_mode, Work work) {
    for (int attempt = 0;; ++attempt) {
        try {
            if (!impl.db || impl.owner != getpid()) {
                impl.db = open_throttle_db(path, journal_mode);
                impl.owner = getpid();
            }
            return work(impl.db);
        } catch (const ThrottleDbError& e) {
            if (attempt > 0 || !is_corruption(e.code)) throw;
            log_message(LogLevel::warning, std::string(e.what()) + "; starting an empty throttle file");
            if (impl.db) sqlite3_close_v2(impl.db);
            impl.db = nullptr;
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((path + suffix).c_str());
        }
    }
}

// The newest-but-(limit-1) failure in the window, i.e. the one whose expiry lets a login
// through again; nothing when fewer than `limit` failures are in the window.
std::optional<double> blocking_failure(sqlite3* db, const std::string& subject, int limit, double since) {
    Statement q(db, "SELECT t FROM failures WHERE subject = ?1 AND t > ?2 ORDER BY t DESC LIMIT 1 OFFSET ?3");
    q.bind(1, subject);
    q.bind(2, since);
    q.bind(3, limit - 1);
    if (!q.step()) return std::nullopt;
    return q.column_double(0);
}

}  // namespace

std::optional<long> LoginThrottle::retry_after(std::string_view username, std::string_view address) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    double now = impl_->clock();
    double since = now - limits_.window_seconds;
    return with_db(*impl_, path_, journal_mode_, [&](sqlite3* db) -> std::optional<long> {
        std::optional<double> until;
        auto by_user = blocking_failure(db, user_subject(username), limits_.user_failures, since);
        // No address (a FastCGI client that sends no REMOTE_ADDR): only the user name counts.
        auto by_address = address.empty() ? std::nullopt
                                          : blocking_failure(db, address_subject(address), limits_.address_failures, since);
        if (by_user) until = *by_user + limits_.window_seconds;
        if (by_address) until = std::max(until.value_or(0), *by_address + limits_.window_seconds);
        if (!until) return std::nullopt;
        return std::max(1L, static_cast<long>(std::ceil(*until - now)));
    });
}

void LoginThrottle::record(std::string_view username, std::string_view address, bool success) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    double now = impl_->clock();
    with_db(*impl_, path_, journal_mode_, [&](sqlite3* db) {
        exec(db, "BEGIN IMMEDIATE");
        try {
            if (success) {
                Statement del(db, "DELETE FROM failures WHERE subject = ?1");
                del.bind(1, user_subject(username));
                del.step();
            } else {
                for (const std::string& subject : {user_subject(username), address_subject(address)}) {
                    if (subject == "addr:") continue;  // no address: nothing to count it under
                    Statement add(db, "INSERT INTO failures (subject, t) VALUES (?1, ?2)");
                    add.bind(1, subject);
                    add.bind(2, now);
                    add.step();
                }
                // Old failures count for nothing: drop them so the file stays small.
                Statement prune(db, "DELETE FROM failures WHERE t <= ?1");
                prune.bind(1, now - limits_.window_seconds);
                prune.step();
            }
            exec(db, "COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        return 0;
    });
}

void LoginThrottle::clear_user(std::string_view username) {
    record(username, "", true);
}

LoginGuard make_login_guard(std::shared_ptr<LoginThrottle> throttle) {
    LoginGuard guard;
    guard.before = [throttle](const Request& request, const std::string& username) {
        auto wait = throttle->retry_after(username, request.remote_addr());
        if (!wait) return;
        throw HttpError(429,
                        "too many requests: too many failed logins for this user or from this address; "
                        "try again in " + std::to_string(*wait) + " seconds",
                        *wait);
    };
    guard.after = [throttle](const Request& request, const std::string& username, bool success) {
        throttle->record(username, request.remote_addr(), success);
    };
    return guard;
}

LoginGuard make_login_throttle(const Config& config) {
    if (config.login_max_failures <= 0) return {};  // login_max_failures = 0 turns throttling off
    ThrottleLimits limits;
    limits.user_failures = config.login_max_failures;
    // Many people can share one address (an office behind NAT); one user name has one owner.
    limits.address_failures = config.login_max_failures * 4;
    limits.window_seconds = config.login_window;
    return make_login_guard(std::make_shared<LoginThrottle>(throttle_path(config.datadir), config.journal_mode, limits));
}

}  // namespace tagwatch
