// The one SQLite layer of tagwatch: a connection (opened with mode 0600, a busy timeout,
// the journal mode set once even when several processes open a new file at the same
// moment), statements prepared once and run with RAII, BEGIN IMMEDIATE transactions, the
// online copy, the checkpoint of a clean stop, and the mapping of SQLite's failures onto
// the one error type (util/error.hpp). The user files, the login throttle's file and
// tagwatch-admin all talk to SQLite through this file and nothing else.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tagwatch::sqlite {

// How long a statement waits for another connection's lock before it fails (503).
constexpr int kBusyTimeoutMs = 10000;

enum class Open { read_only, read_write, create };

class Connection {
  public:
    // Opens `path`. With Open::create a missing file is made with mode 0600 first (its -wal
    // and -shm files take the same mode). Throws std::runtime_error naming the file when it
    // cannot be opened.
    explicit Connection(const std::string& path, Open mode = Open::create);
    // Closes without a checkpoint (SQLite checkpoints when the last connection closes).
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return db_; }
    const std::string& path() const { return path_; }

    // Runs SQL without parameters (one statement or several).
    void exec(const char* sql);
    void exec(const std::string& sql) { exec(sql.c_str()); }
    // The first column of every row of a query without parameters, as text ("" for NULL).
    std::vector<std::string> column(const std::string& sql);

    // "wal" or "delete" (std::invalid_argument otherwise), changed only when the file has
    // another mode. The change needs the file to itself and SQLite answers "busy" at once
    // there instead of waiting, which is what several workers meet when a new file's
    // first requests reach them together: so it is tried again for up to the busy timeout.
    void set_journal_mode(const std::string& mode);
    void set_busy_timeout(int milliseconds);

    // True once a call met SQLITE_CORRUPT or SQLITE_NOTADB: the file is damaged, or was
    // replaced by something that is not a database. The owner drops the connection and
    // opens the file anew on the next request (a restored file is then used at once).
    bool broken() const { return broken_; }

    // The clean stop: moves everything in the WAL into the database file and truncates the
    // WAL to nothing (a file in delete mode has nothing to do). Waits for other connections
    // for at most `wait_ms`; false when it could not finish (nothing is lost then: the
    // WAL stays, and the next opener reads it).
    bool checkpoint(int wait_ms = 3000);

    // Copies the whole database into `target` with SQLite's online backup: one consistent
    // snapshot, while other processes go on writing (WAL). Throws std::runtime_error.
    void copy_to(Connection& target);

    // Throws for the failed result `rc` of a call on this connection: HttpError 503 with
    // Retry-After when the file stays locked past the busy timeout or the disk is full;
    // std::runtime_error naming the file and `what` for anything else (a bug, or a damaged
    // file, which also marks the connection broken). Used by Statement, Run and Transaction.
    [[noreturn]] void fail(int rc, std::string_view what);

    // The statements of a write transaction, prepared on first use (see Transaction).
    sqlite3_stmt* transaction_statement(int which);

  private:
    sqlite3* db_ = nullptr;
    std::string path_;
    bool broken_ = false;
    sqlite3_stmt* txn_[3] = {nullptr, nullptr, nullptr};  // BEGIN IMMEDIATE, COMMIT, ROLLBACK
};

// A statement prepared once per connection and reused (persistent prepare).
class Statement {
  public:
    Statement(Connection& conn, const char* sql);
    Statement(Connection& conn, const std::string& sql) : Statement(conn, sql.c_str()) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Connection& connection() const { return conn_; }
    sqlite3_stmt* get() const { return stmt_; }

  private:
    Connection& conn_;
    sqlite3_stmt* stmt_ = nullptr;
};

// One execution of a Statement; resets it and its bindings on every exit path, so a
// statement never stays active (which would hold back checkpoints and writers). Bound
// text must outlive the Run (it is not copied).
class Run {
  public:
    explicit Run(Statement& s) : s_(s) {}
    ~Run() {
        sqlite3_reset(s_.get());
        sqlite3_clear_bindings(s_.get());
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    Run& bind(int i, int64_t v) { return check(sqlite3_bind_int64(s_.get(), i, v)); }
    Run& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Run& bind(int i, double v) { return check(sqlite3_bind_double(s_.get(), i, v)); }
    Run& bind(int i, std::string_view v) {
        return check(
            sqlite3_bind_text64(s_.get(), i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
    }

    // True while there is a row; false when done.
    bool step() {
        const int rc = sqlite3_step(s_.get());
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        s_.connection().fail(rc, sqlite3_sql(s_.get()));
    }

    int type(int col) const { return sqlite3_column_type(s_.get(), col); }
    bool is_null(int col) const { return type(col) == SQLITE_NULL; }
    bool is_number(int col) const {
        return type(col) == SQLITE_INTEGER || type(col) == SQLITE_FLOAT;
    }
    int64_t int64(int col) const { return sqlite3_column_int64(s_.get(), col); }
    double real(int col) const { return sqlite3_column_double(s_.get(), col); }
    std::string_view text(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_.get(), col));
        const int n = sqlite3_column_bytes(s_.get(), col);
        return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
    }

  private:
    Run& check(int rc) {
        if (rc != SQLITE_OK) s_.connection().fail(rc, "bind");
        return *this;
    }
    Statement& s_;
};

// BEGIN IMMEDIATE (the write lock, waiting up to the busy timeout) ... commit(); rolled
// back when left without commit(), on every exit path.
class Transaction {
  public:
    explicit Transaction(Connection& conn);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Connection& conn_;
    bool done_ = false;
};

// A small file every process shares (the login throttle's, the teams'): one connection per
// process, opened on first use, again in a forked child (a connection never crosses a
// fork: the parent's is left alone, never closed there) and again after a failed call.
// With `remake_damaged`, a file that turns out damaged is deleted and made anew once
// (for state that may be lost, like recent failed logins).
class SharedFile {
  public:
    using SetUp = std::function<void(Connection&)>;
    SharedFile(std::string path, SetUp set_up, bool remake_damaged = false);
    ~SharedFile();
    SharedFile(const SharedFile&) = delete;
    SharedFile& operator=(const SharedFile&) = delete;

    // Runs work(connection) under this object's mutex and answers what it answers.
    template <typename Work>
    auto run(Work work) {
        std::lock_guard lock(mutex_);
        for (int attempt = 0;; ++attempt) {
            try {
                return work(open());
            } catch (...) {
                if (!dropped_damaged(attempt)) throw;
            }
        }
    }
    // Checkpoints and closes the connection (the next run opens it again).
    void close();
    const std::string& path() const { return path_; }

  private:
    Connection& open();
    // After a failed call: drops the connection; true when the call is to be tried again
    // on a new file (remake_damaged, the first attempt, a damaged file).
    bool dropped_damaged(int attempt);
    void forget_parents();

    std::string path_;
    SetUp set_up_;
    bool remake_damaged_;
    std::mutex mutex_;
    std::unique_ptr<Connection> conn_;
    long owner_ = 0;  // the pid of the process that opened conn_
};

}  // namespace tagwatch::sqlite
