// The login throttle's SQLite file (datafolder.hpp): one table of recent failures, and
// admit/settle as single transactions on it.
#include <cmath>
#include <optional>
#include <stdexcept>

#include "store/datafolder.hpp"
#include "store/sqlite.hpp"

namespace tagwatch {

namespace {

using sqlite::Run;
using sqlite::Statement;

}  // namespace

namespace {

// Makes the table on a new connection.
void set_up(sqlite::Connection& conn, const std::string& journal_mode) {
    conn.set_journal_mode(journal_mode);
    // Losing the last failures in a power cut is harmless; an fsync per login is not free.
    conn.exec("PRAGMA synchronous=NORMAL");
    conn.exec(
        "CREATE TABLE IF NOT EXISTS failures (subject TEXT NOT NULL, t REAL NOT NULL);"
        "CREATE INDEX IF NOT EXISTS idx_failures_subject_t ON failures (subject, t);"
        "CREATE INDEX IF NOT EXISTS idx_failures_t ON failures (t);");
}

}  // namespace

// The file (a damaged one is made anew: it only holds the last few minutes' failures) and
// the clock, which is read inside the file's lock.
struct ThrottleFile::Impl {
    sqlite::SharedFile file;
    std::function<double()> clock = now_seconds;
    Impl(const std::string& path, const std::string& journal_mode)
        : file(
              path, [journal_mode](sqlite::Connection& c) { set_up(c, journal_mode); }, true) {}
};

ThrottleFile::ThrottleFile(std::string path, std::string journal_mode, ThrottleLimits limits)
    : path_(std::move(path)), journal_mode_(std::move(journal_mode)), limits_(limits) {
    if (journal_mode_ != "wal" && journal_mode_ != "delete")
        throw std::invalid_argument("login throttle: journal_mode must be wal or delete, not " +
                                    journal_mode_);
    check_throttle_limits(limits_);
    impl_ = std::make_unique<Impl>(path_, journal_mode_);
}

ThrottleFile::~ThrottleFile() = default;

void ThrottleFile::set_clock(std::function<double()> clock) {
    impl_->clock = std::move(clock);  // tests set it before the throttle is used
}

void ThrottleFile::close() { impl_->file.close(); }

namespace {

// The newest-but-(limit-1) failure in the window, i.e. the one whose expiry lets a login
// through again; nothing when fewer than `limit` failures are in the window.
std::optional<double> blocking_failure(sqlite::Connection& c, const std::string& subject, int limit,
                                       double since) {
    Statement q(c,
                "SELECT t FROM failures WHERE subject = ?1 AND t > ?2 ORDER BY t DESC LIMIT 1 "
                "OFFSET ?3");
    Run r(q);
    r.bind(1, std::string_view(subject)).bind(2, since).bind(3, limit - 1);
    if (!r.step()) return std::nullopt;
    return r.real(0);
}

void add_failure(sqlite::Connection& c, const std::string& subject, double t) {
    Statement add(c, "INSERT INTO failures (subject, t) VALUES (?1, ?2)");
    Run r(add);
    r.bind(1, std::string_view(subject)).bind(2, t);
    r.step();
}

}  // namespace

LoginAttempt ThrottleFile::admit(std::string_view username, std::string_view address) {
    const std::string user = throttle_user_subject(username);
    const std::string addr = throttle_address_subject(address);
    return impl_->file.run([&](sqlite::Connection& c) {
        // One write transaction for the look and the count: another process's attempt
        // waits for this one to commit, so it sees this attempt counted.
        sqlite::Transaction txn(c);
        const double now = impl_->clock();
        const double since = now - limits_.window_seconds;
        LoginAttempt attempt;
        attempt.retry_after =
            throttle_wait(limits_, user, addr, now, [&](const std::string& s, int limit, double t) {
                return blocking_failure(c, s, limit, t);
            });
        if (attempt.retry_after > 0) {
            txn.commit();
            return attempt;
        }
        add_failure(c, user, now);
        if (!addr.empty()) add_failure(c, addr, now);
        // Old failures count for nothing: drop them so the file stays small.
        Statement prune(c, "DELETE FROM failures WHERE t <= ?1");
        Run(prune).bind(1, since).step();
        txn.commit();
        attempt.at = now;
        return attempt;
    });
}

void ThrottleFile::settle(std::string_view username, std::string_view address, double at,
                          bool success) {
    if (!success) return;  // the attempt stays counted as a failure
    const std::string user = throttle_user_subject(username);
    const std::string addr = throttle_address_subject(address);
    impl_->file.run([&](sqlite::Connection& c) {
        sqlite::Transaction txn(c);
        Statement del(c, "DELETE FROM failures WHERE subject = ?1");
        Run(del).bind(1, std::string_view(user)).step();
        if (!addr.empty()) {
            Statement one(c,
                          "DELETE FROM failures WHERE rowid = (SELECT rowid FROM failures WHERE "
                          "subject = ?1 AND t = ?2 LIMIT 1)");
            Run(one).bind(1, std::string_view(addr)).bind(2, at).step();
        }
        txn.commit();
        return 0;
    });
}

void ThrottleFile::clear_user(std::string_view username) {
    const std::string user = throttle_user_subject(username);
    impl_->file.run([&](sqlite::Connection& c) {
        Statement del(c, "DELETE FROM failures WHERE subject = ?1");
        Run(del).bind(1, std::string_view(user)).step();
        return 0;
    });
}

}  // namespace tagwatch
