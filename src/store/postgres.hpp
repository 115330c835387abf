// The one PostgreSQL layer of tagwatch, on libpq: the library loaded when first needed, a
// connection with the settings that keep a worker from hanging on a dead server, queries
// prepared once per session and run with their parameters bound (never spliced into SQL),
// results with RAII, transactions, and the mapping of PostgreSQL's failures onto the one
// error type (util/error.hpp). The PostgreSQL engine (store/pg_store.cpp) and
// tagwatch-admin talk to PostgreSQL through this file and nothing else.
//
// libpq is opened with dlopen() rather than linked: the program is linked statically (a
// plain-CGI process starts for every request), and Debian's libpq cannot be, since it
// brings OpenSSL, Kerberos and LDAP as shared libraries. A program that never uses the
// PostgreSQL engine never loads it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tagwatch::pg {

// Checks a connection string (key=value words or a postgresql:// URI) the way libpq reads
// it, without connecting. Throws std::invalid_argument with libpq's own words; throws
// std::runtime_error when libpq itself cannot be loaded.
void check_conninfo(const std::string& conninfo);

// The connection string with any password replaced by "***", for messages and logs.
std::string redact(const std::string& conninfo);

// A query's result, cleared on every exit path. Values come in PostgreSQL's text format.
class Result {
  public:
    explicit Result(PGresult* r = nullptr) : r_(r) {}
    ~Result();
    Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Result& operator=(Result&& o) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const;
    bool is_null(int row, int col) const;
    std::string_view text(int row, int col) const;
    double real(int row, int col) const;  // a float8 column; NaN for NULL
    int64_t int64(int row, int col) const;
    bool boolean(int row, int col) const;  // "t"
    long long affected() const;            // rows an INSERT, UPDATE or DELETE touched

  private:
    PGresult* r_;
};

// A query with $1.. parameters, prepared once per session under `name` (unique per query).
struct Query {
    const char* name;
    const char* sql;
};

// Parameters in text format; std::nullopt is NULL. Doubles are written exactly (the
// shortest text that reads back as the same double).
class Params {
  public:
    Params& add(std::string_view v);
    Params& add(const char* v) { return add(std::string_view(v)); }
    Params& add(const std::string& v) { return add(std::string_view(v)); }
    Params& add(double v);
    Params& add(int64_t v);
    Params& add(int v) { return add(static_cast<int64_t>(v)); }
    Params& add_null();
    int size() const { return static_cast<int>(values_.size()); }
    const char* const* values() const;

  private:
    std::vector<std::optional<std::string>> values_;
    mutable std::vector<const char*> pointers_;
};

// One connection to the primary, opened on first use and again whenever it was lost, so a
// worker that lost its server reconnects on its next request to whichever host now takes
// writes (`host=a,b target_session_attrs=read-write`). Not thread-safe: one user at a
// time (the PostgreSQL Database holds the lock). A forked child never uses its parent's
// connection: it opens its own.
//
// Unless the connection string says otherwise, a connection attempt gives up after 5 s per
// host, TCP keepalives notice a dead server within about 20 s while waiting for an answer,
// and unacknowledged data gives up after 10 s; each session waits for a row lock at most
// 10 s (lock_timeout) and runs a statement at most 30 s (statement_timeout).
//
// Failures: HttpError 503 with Retry-After when the server cannot be reached or was lost
// (the connection is then opened anew on the next call), when a lock or statement timed
// out, the disk is full, or the server is read-only (a standby); std::runtime_error for
// anything else (a bug, a broken schema), which answers a 500 and is logged.
class Connection {
  public:
    explicit Connection(std::string conninfo);
    ~Connection();  // ends the session (a forked child only closes its copy of the socket)
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Opens the connection when there is none, it was lost, or the server closed it while it
    // was idle (read without waiting). Called first by every operation outside a transaction.
    void ensure();
    // Ends the session (the clean stop); the next call opens a new one.
    void close();

    Result exec(const char* sql);  // one or more statements without parameters
    Result exec(const Query& q, const Params& params = Params());
    // The same, row by row: `row` gets each row as a Result of its own (row 0), freed right
    // after, so a query of 10,000 items never holds them all in libpq's memory at once.
    void each_row(const Query& q, const Params& params,
                  const std::function<void(const Result&)>& row);

    // Several statements sent at once and answered together (libpq's pipeline mode): one
    // round trip instead of one each. They run one after the other as if sent alone (each
    // sees what the ones before it did); `sql` steps (BEGIN, COMMIT) take no parameters.
    // One Result per step, in order; the first failure is thrown as exec() would throw it,
    // after every answer was read (the steps after it did not run).
    struct Step {
        const Query* query = nullptr;
        Params params;
        const char* sql = nullptr;
    };
    std::vector<Result> batch(const std::vector<Step>& steps);

    const std::string& conninfo() const { return conninfo_; }
    // Why the last connection attempt failed or the session was lost, in libpq's words.
    const std::string& last_error() const { return last_error_; }
    bool in_transaction() const;

  private:
    [[noreturn]] void fail(PGresult* r, std::string_view what);
    Result check(PGresult* r, std::string_view what);
    void connect();
    void prepare(const Query& q);

    std::string conninfo_;
    PGconn* conn_ = nullptr;
    long owner_ = 0;                     // the pid that opened conn_
    std::vector<std::string> prepared_;  // names prepared in this session
    std::string last_error_;
};

// BEGIN ... commit(); rolled back when left without commit, on every exit path. Inside a
// transaction already open on the connection it does nothing: the outer one decides.
// With a batch, BEGIN (and COMMIT) go out with the batch's other statements instead of in
// a round trip of their own.
class Transaction {
  public:
    explicit Transaction(Connection& conn);
    Transaction(Connection& conn, std::vector<Connection::Step>& first);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();
    void commit(std::vector<Connection::Step>& last);  // COMMIT as the batch's last step

  private:
    Connection& conn_;
    bool owner_;
};

}  // namespace tagwatch::pg
