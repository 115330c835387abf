// The SQLite layer (sqlite.hpp): opening, the journal-mode change, error mapping,
// transactions, the online copy and the checkpoint of a clean stop.
#include "store/sqlite.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "util/error.hpp"

namespace tagwatch::sqlite {

namespace {

constexpr const char* kTransactionSql[3] = {"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
enum { kBegin = 0, kCommit = 1, kRollback = 2 };

bool is_busy(int rc) {
    const int primary = rc & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

}  // namespace

Connection::Connection(const std::string& path, Open mode) : path_(path) {
    if (mode == Open::create) {
        // SQLite would make the file 0644 (and its -wal and -shm take the main file's
        // mode): a user's records and the throttle's addresses are nobody else's business.
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
    const int flags = mode == Open::read_only    ? SQLITE_OPEN_READONLY
                      : mode == Open::read_write ? SQLITE_OPEN_READWRITE
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message =
            "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Set before anything touches the file, so that no statement (even a prepare reading
    // the schema) fails at once on another process's lock.
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

Connection::~Connection() {
    for (sqlite3_stmt* s : txn_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
}

void Connection::fail(int rc, std::string_view what) {
    const int primary = rc & 0xFF;
    if (is_busy(rc))
        throw HttpError(503, "service unavailable: the data store is busy, try again shortly", 1);
    // No room for the write: SQLITE_FULL, or an I/O error whose cause is the same (a quota,
    // a file size limit).
    const int sys = db_ ? sqlite3_system_errno(db_) : 0;
    if (primary == SQLITE_FULL ||
        (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT || sys == EFBIG)))
        throw HttpError(
            503,
            "service unavailable: the server's disk is full, so nothing of this request "
            "was stored (everything stored before is safe); try again later",
            60);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) broken_ = true;
    throw std::runtime_error("store: " + path_ + ": " + std::string(what) + ": " +
                             (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
}

void Connection::exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
}

std::vector<std::string> Connection::column(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    std::vector<std::string> out;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) fail(rc, sql);
    return out;
}

void Connection::set_busy_timeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

void Connection::set_journal_mode(const std::string& mode) {
    if (mode != "wal" && mode != "delete")
        throw std::invalid_argument("journal_mode must be wal or delete, not " + mode);
    const char* change = mode == "wal" ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE";
    for (int waited_ms = 0;; waited_ms += 10) {
        int rc = SQLITE_OK;
        sqlite3_stmt* q = nullptr;
        rc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &q, nullptr);
        std::string current;
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(q);
            if (rc == SQLITE_ROW) {
                const unsigned char* text = sqlite3_column_text(q, 0);
                current = text ? reinterpret_cast<const char*>(text) : "";
                rc = SQLITE_OK;
            }
        }
        sqlite3_finalize(q);
        if (rc == SQLITE_OK && current != mode)
            rc = sqlite3_exec(db_, change, nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK) return;
        if (!is_busy(rc) || waited_ms >= kBusyTimeoutMs) fail(rc, change);
        sqlite3_sleep(10);
    }
}

bool Connection::checkpoint(int wait_ms) {
    sqlite3_busy_timeout(db_, wait_ms);
    const int rc =
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    return rc == SQLITE_OK;
}

void Connection::copy_to(Connection& target) {
    sqlite3_backup* backup = sqlite3_backup_init(target.db_, "main", db_, "main");
    if (!backup)
        throw std::runtime_error("cannot copy " + path_ + ": " + sqlite3_errmsg(target.db_));
    // All pages in one step: one read snapshot, so the copy is consistent, and with WAL the
    // server's writers go on meanwhile. BUSY/LOCKED (a writer in delete mode) is retried
    // for up to the busy timeout.
    int rc;
    for (int waited_ms = 0;; waited_ms += 50) {
        rc = sqlite3_backup_step(backup, -1);
        if (is_busy(rc) && waited_ms < kBusyTimeoutMs) {
            sqlite3_sleep(50);
            continue;
        }
        break;
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        if ((rc & 0xFF) == SQLITE_CORRUPT || (rc & 0xFF) == SQLITE_NOTADB) broken_ = true;
        throw std::runtime_error("cannot copy " + path_ + " to " + target.path_ + ": " +
                                 sqlite3_errstr(rc));
    }
    const int finish_error = sqlite3_errcode(target.db_);
    if (finish_error != SQLITE_OK && finish_error != SQLITE_DONE)
        throw std::runtime_error("cannot copy " + path_ + " to " + target.path_ + ": " +
                                 sqlite3_errmsg(target.db_));
}

sqlite3_stmt* Connection::transaction_statement(int which) {
    if (!txn_[which]) {
        const int rc = sqlite3_prepare_v3(db_, kTransactionSql[which], -1,
                                          SQLITE_PREPARE_PERSISTENT, &txn_[which], nullptr);
        if (rc != SQLITE_OK) fail(rc, kTransactionSql[which]);
    }
    return txn_[which];
}

Statement::Statement(Connection& conn, const char* sql) : conn_(conn) {
    const int rc =
        sqlite3_prepare_v3(conn.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) conn.fail(rc, sql);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Transaction::Transaction(Connection& conn) : conn_(conn) {
    sqlite3_stmt* begin = conn.transaction_statement(kBegin);
    const int rc = sqlite3_step(begin);
    sqlite3_reset(begin);
    if (rc != SQLITE_DONE) conn.fail(rc, kTransactionSql[kBegin]);
}

Transaction::~Transaction() {
    if (done_) return;
    // Best effort, never throwing from a destructor: a failed statement may already have
    // rolled the transaction back.
    if (sqlite3_get_autocommit(conn_.get())) return;
    sqlite3_stmt* rollback = nullptr;
    try {
        rollback = conn_.transaction_statement(kRollback);
    } catch (...) {
        sqlite3_exec(conn_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        return;
    }
    sqlite3_step(rollback);
    sqlite3_reset(rollback);
}

void Transaction::commit() {
    sqlite3_stmt* commit = conn_.transaction_statement(kCommit);
    const int rc = sqlite3_step(commit);
    sqlite3_reset(commit);
    if (rc != SQLITE_DONE) conn_.fail(rc, kTransactionSql[kCommit]);
    done_ = true;
}

SharedFile::SharedFile(std::string path, SetUp set_up, bool remake_damaged)
    : path_(std::move(path)), set_up_(std::move(set_up)), remake_damaged_(remake_damaged) {}

SharedFile::~SharedFile() { forget_parents(); }

void SharedFile::forget_parents() {
    if (conn_ && owner_ != getpid()) (void)conn_.release();  // the parent's: leaked here
}

Connection& SharedFile::open() {
    forget_parents();
    if (!conn_) {
        conn_ = std::make_unique<Connection>(path_, Open::create);
        owner_ = getpid();
        set_up_(*conn_);
    }
    return *conn_;
}

bool SharedFile::dropped_damaged(int attempt) {
    const bool broken = conn_ && conn_->broken();
    conn_.reset();
    if (!remake_damaged_ || attempt > 0 || !broken) return false;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((path_ + suffix).c_str());
    return true;
}

void SharedFile::close() {
    std::lock_guard lock(mutex_);
    forget_parents();
    if (!conn_) return;
    if (!conn_->broken()) conn_->checkpoint();
    conn_.reset();
}

}  // namespace tagwatch::sqlite
