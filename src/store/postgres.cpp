// The PostgreSQL layer (store/postgres.hpp): libpq loaded at run time, the connection and
// its recovery, queries and transactions, and the mapping of failures onto HttpError.
#include "store/postgres.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "util/error.hpp"

namespace tagwatch::pg {

namespace {

// The libpq functions tagwatch calls, looked up once in libpq.so.5.
#define TAGWATCH_LIBPQ_FUNCTIONS(X) \
    X(PQconnectdbParams)            \
    X(PQconninfoParse)              \
    X(PQconninfoFree)               \
    X(PQstatus)                     \
    X(PQerrorMessage)               \
    X(PQfinish)                     \
    X(PQsocket)                     \
    X(PQconsumeInput)               \
    X(PQtransactionStatus)          \
    X(PQsetNoticeProcessor)         \
    X(PQexec)                       \
    X(PQprepare)                    \
    X(PQexecPrepared)               \
    X(PQsendQueryPrepared)          \
    X(PQsetSingleRowMode)           \
    X(PQgetResult)                  \
    X(PQenterPipelineMode)          \
    X(PQexitPipelineMode)           \
    X(PQpipelineSync)               \
    X(PQsendPrepare)                \
    X(PQsendQueryParams)            \
    X(PQresultStatus)               \
    X(PQresultErrorField)           \
    X(PQresultErrorMessage)         \
    X(PQclear)                      \
    X(PQntuples)                    \
    X(PQgetvalue)                   \
    X(PQgetlength)                  \
    X(PQgetisnull)                  \
    X(PQfreemem)                    \
    X(PQcmdTuples)

struct Libpq {
#define TAGWATCH_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
    TAGWATCH_LIBPQ_FUNCTIONS(TAGWATCH_LIBPQ_MEMBER)
#undef TAGWATCH_LIBPQ_MEMBER
};

// Loads libpq once per process; throws std::runtime_error saying what to install.
const Libpq& lib() {
    static std::once_flag once;
    static Libpq table;
    static std::string error;
    std::call_once(once, [] {
        void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = dlerror();
            error = std::string("PostgreSQL's client library libpq.so.5 cannot be loaded (") +
                    (why ? why : "not found") + "); install it (Debian: apt install libpq5)";
            return;
        }
#define TAGWATCH_LIBPQ_LOAD(name)                                           \
    table.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name)); \
    if (!table.name)                                                        \
        error = "libpq.so.5 lacks " #name ": it is too old (PostgreSQL 14 or later needed)";
        TAGWATCH_LIBPQ_FUNCTIONS(TAGWATCH_LIBPQ_LOAD)
#undef TAGWATCH_LIBPQ_LOAD
    });
    if (!error.empty()) throw std::runtime_error(error);
    return table;
}

[[noreturn]] void unreachable() {
    throw HttpError(503, "service unavailable: the database cannot be reached, try again shortly",
                    2);
}

void ignore_notice(void*, const char*) {}

std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// libpq's parse of a connection string, freed on every exit path.
struct ParsedConninfo {
    PQconninfoOption* options = nullptr;
    ~ParsedConninfo() {
        if (options) lib().PQconninfoFree(options);
    }
};

}  // namespace

void check_conninfo(const std::string& conninfo) {
    char* error = nullptr;
    ParsedConninfo parsed;
    parsed.options = lib().PQconninfoParse(conninfo.c_str(), &error);
    if (!parsed.options) {
        std::string why = error ? trimmed(error) : "out of memory";
        if (error) lib().PQfreemem(error);
        throw std::invalid_argument(why);
    }
}

std::string redact(const std::string& conninfo) {
    std::string out = conninfo;
    // key=value form: password=... (quoted or not)
    for (size_t at = 0; (at = out.find("password", at)) != std::string::npos;) {
        size_t p = at + 8;
        while (p < out.size() && out[p] == ' ') ++p;
        if (p >= out.size() || out[p] != '=') {
            at = p;
            continue;
        }
        ++p;
        while (p < out.size() && out[p] == ' ') ++p;
        size_t end = p;
        if (end < out.size() && out[end] == '\'') {
            for (++end; end < out.size() && out[end] != '\''; ++end)
                if (out[end] == '\\') ++end;
            if (end < out.size()) ++end;
        } else {
            const bool uri_param = at > 0 && (out[at - 1] == '?' || out[at - 1] == '&');
            while (end < out.size() && out[end] != ' ' && !(uri_param && out[end] == '&')) ++end;
        }
        out.replace(p, end - p, "***");
        at = p + 3;
    }
    // URI form: postgresql://user:password@host
    const size_t scheme = out.find("://");
    if (scheme != std::string::npos) {
        const size_t start = scheme + 3;
        const size_t at = out.find('@', start);
        const size_t slash = out.find('/', start);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            const size_t colon = out.find(':', start);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    return out;
}

// ---- Result

Result::~Result() {
    if (r_) lib().PQclear(r_);
}

Result& Result::operator=(Result&& o) noexcept {
    if (this != &o) {
        if (r_) lib().PQclear(r_);
        r_ = o.r_;
        o.r_ = nullptr;
    }
    return *this;
}

int Result::rows() const { return r_ ? lib().PQntuples(r_) : 0; }

bool Result::is_null(int row, int col) const { return lib().PQgetisnull(r_, row, col) != 0; }

std::string_view Result::text(int row, int col) const {
    const char* p = lib().PQgetvalue(r_, row, col);
    return std::string_view(p, static_cast<size_t>(lib().PQgetlength(r_, row, col)));
}

double Result::real(int row, int col) const {
    if (is_null(row, col)) return NAN;
    // PostgreSQL writes float8 as the shortest text that reads back exactly (or, with
    // extra_float_digits = 3 on older servers, 17 digits), and Infinity/NaN as words.
    const std::string_view t = text(row, col);
    if (t == "Infinity") return INFINITY;
    if (t == "-Infinity") return -INFINITY;
    double v = NAN;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (res.ec != std::errc())
        throw std::runtime_error("postgres: not a number: " + std::string(t));
    return v;
}

int64_t Result::int64(int row, int col) const {
    const std::string_view t = text(row, col);
    int64_t v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (res.ec != std::errc())
        throw std::runtime_error("postgres: not an integer: " + std::string(t));
    return v;
}

bool Result::boolean(int row, int col) const { return text(row, col) == "t"; }

long long Result::affected() const { return r_ ? std::atoll(lib().PQcmdTuples(r_)) : 0; }

// ---- Params

Params& Params::add(std::string_view v) {
    values_.emplace_back(std::string(v));
    return *this;
}

Params& Params::add(double v) {
    char buf[32];
    if (std::isnan(v)) return add(std::string_view("NaN"));
    if (std::isinf(v)) return add(std::string_view(v > 0 ? "Infinity" : "-Infinity"));
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return add(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
}

Params& Params::add(int64_t v) { return add(std::string_view(std::to_string(v))); }

Params& Params::add_null() {
    values_.emplace_back(std::nullopt);
    return *this;
}

const char* const* Params::values() const {
    pointers_.clear();
    for (const auto& v : values_) pointers_.push_back(v ? v->c_str() : nullptr);
    return pointers_.data();
}

// ---- Connection

Connection::Connection(std::string conninfo) : conninfo_(std::move(conninfo)) {}

Connection::~Connection() {
    if (!conn_) return;
    if (owner_ == static_cast<long>(getpid())) {
        lib().PQfinish(conn_);
    } else {
        ::close(lib().PQsocket(conn_));  // the parent's session: leave it to the parent
    }
}

void Connection::close() {
    if (conn_ && owner_ == static_cast<long>(getpid()))
        lib().PQfinish(conn_);
    else if (conn_)
        ::close(lib().PQsocket(conn_));
    conn_ = nullptr;
    prepared_.clear();
}

bool Connection::in_transaction() const {
    return conn_ && lib().PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void Connection::connect() {
    // Our defaults first: the connection string, expanded from `dbname`, overrides them.
    const char* keys[] = {"connect_timeout",  "keepalives",
                          "keepalives_idle",  "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout",
                          "application_name", "client_encoding",
                          "dbname",           nullptr};
    const char* values[] = {
        "5", "1", "10", "3", "3", "10000", "tagwatch", "UTF8", conninfo_.c_str(), nullptr};
    PGconn* c = lib().PQconnectdbParams(keys, values, 1);
    if (!c) throw std::bad_alloc();
    if (lib().PQstatus(c) != CONNECTION_OK) {
        last_error_ = trimmed(lib().PQerrorMessage(c));
        lib().PQfinish(c);
        unreachable();
    }
    lib().PQsetNoticeProcessor(c, ignore_notice, nullptr);
    conn_ = c;
    owner_ = static_cast<long>(getpid());
    prepared_.clear();
    last_error_.clear();
    // Exact floats on every server version, and waits that end (a 503) instead of hanging.
    check(lib().PQexec(
              conn_,
              "SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lock_timeout = '10s'; "
              "SET statement_timeout = '30s'"),
          "session settings");
}

void Connection::ensure() {
    if (conn_ && owner_ != static_cast<long>(getpid())) {
        ::close(lib().PQsocket(conn_));  // inherited through fork(): not ours to end
        conn_ = nullptr;
    }
    if (conn_) {
        const PGTransactionStatusType t = lib().PQtransactionStatus(conn_);
        // An open transaction is the caller's: keep it (a lost one fails its next statement).
        if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR) return;
        // A server that went away while we were idle (a restart, a failover) has closed the
        // socket: reading without waiting notices that, and we reconnect before the request
        // instead of failing it.
        if (t == PQTRANS_IDLE) lib().PQconsumeInput(conn_);
    }
    if (conn_ && lib().PQstatus(conn_) != CONNECTION_OK) {
        lib().PQfinish(conn_);
        conn_ = nullptr;
    }
    if (!conn_) connect();
}

[[noreturn]] void Connection::fail(PGresult* r, std::string_view what) {
    const char* state = r ? lib().PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    const std::string message =
        trimmed(r ? lib().PQresultErrorMessage(r) : lib().PQerrorMessage(conn_));
    if (r) lib().PQclear(r);
    const bool lost = !conn_ || lib().PQstatus(conn_) != CONNECTION_OK;
    // 08: connection exceptions; 57P01-03: the server shuts down or is starting; 25006: a
    // read-only transaction, i.e. we reached a standby (a failover under way). Each ends
    // this session, so the next request connects to whichever host takes writes.
    if (lost || code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
        code == "25006") {
        if (conn_) lib().PQfinish(conn_);
        conn_ = nullptr;
        prepared_.clear();
        last_error_ = message;
        unreachable();
    }
    // 55P03: lock_timeout; 57014: statement_timeout; 40001/40P01: serialization, deadlock.
    if (code == "55P03" || code == "57014" || code == "40001" || code == "40P01")
        throw HttpError(503, "service unavailable: the data store is busy, try again shortly", 1);
    if (code == "53100")
        throw HttpError(503,
                        "service unavailable: the database's disk is full, so nothing of this "
                        "request was stored (everything stored before is safe); try again later",
                        60);
    if (code.rfind("53", 0) == 0)  // out of memory, too many connections
        throw HttpError(503, "service unavailable: the database is overloaded, try again shortly",
                        5);
    throw std::runtime_error("postgres: " + std::string(what) + ": " + message +
                             (code.empty() ? "" : " (SQLSTATE " + code + ")"));
}

Result Connection::check(PGresult* r, std::string_view what) {
    const ExecStatusType s = r ? lib().PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return Result(r);
    fail(r, what);
}

Result Connection::exec(const char* sql) {
    if (!conn_) ensure();
    return check(lib().PQexec(conn_, sql), sql);
}

void Connection::prepare(const Query& q) {
    if (!conn_) ensure();
    if (std::find(prepared_.begin(), prepared_.end(), q.name) != prepared_.end()) return;
    check(lib().PQprepare(conn_, q.name, q.sql, 0, nullptr), q.sql);
    prepared_.emplace_back(q.name);
}

Result Connection::exec(const Query& q, const Params& params) {
    prepare(q);
    return check(
        lib().PQexecPrepared(conn_, q.name, params.size(), params.values(), nullptr, nullptr, 0),
        q.sql);
}

std::vector<Result> Connection::batch(const std::vector<Step>& steps) {
    if (!conn_) ensure();
    if (!lib().PQenterPipelineMode(conn_)) fail(nullptr, "pipeline mode");
    // Send every step, preparing the queries this session has not prepared yet in the same
    // pipeline (each name once).
    std::vector<std::string> preparing;
    std::vector<bool> prepares;  // per step: a prepare was sent before it
    bool sent = true;
    for (const auto& s : steps) {
        bool prepare = false;
        if (s.query) {
            const std::string name = s.query->name;
            prepare = std::find(prepared_.begin(), prepared_.end(), name) == prepared_.end() &&
                      std::find(preparing.begin(), preparing.end(), name) == preparing.end();
            if (prepare) {
                sent = sent && lib().PQsendPrepare(conn_, s.query->name, s.query->sql, 0, nullptr);
                preparing.push_back(name);
            }
            sent = sent && lib().PQsendQueryPrepared(conn_, s.query->name, s.params.size(),
                                                     s.params.values(), nullptr, nullptr, 0);
        } else {
            sent = sent &&
                   lib().PQsendQueryParams(conn_, s.sql, 0, nullptr, nullptr, nullptr, nullptr, 0);
        }
        prepares.push_back(prepare);
    }
    sent = sent && lib().PQpipelineSync(conn_);
    // Read every answer: each command's result and the end of it, then the sync.
    std::vector<Result> results;
    PGresult* failed = nullptr;
    std::string failed_what;
    const auto next = [&](const char* what, bool keep) {
        PGresult* r = lib().PQgetResult(conn_);
        const ExecStatusType status = r ? lib().PQresultStatus(r) : PGRES_FATAL_ERROR;
        const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (r) {
            if (PGresult* end = lib().PQgetResult(conn_)) lib().PQclear(end);  // the command's end
        }
        if (!ok && status != PGRES_PIPELINE_ABORTED && !failed) {
            failed = r;
            failed_what = what;
        } else if (!ok && r) {
            lib().PQclear(r);
        }
        if (keep)
            results.emplace_back(ok ? r : nullptr);
        else if (ok)
            lib().PQclear(r);
        return ok;
    };
    for (size_t i = 0; sent && i < steps.size() && lib().PQstatus(conn_) == CONNECTION_OK; ++i) {
        const char* what = steps[i].query ? steps[i].query->sql : steps[i].sql;
        if (prepares[i] && next(what, false)) prepared_.emplace_back(steps[i].query->name);
        next(what, true);
    }
    if (sent && lib().PQstatus(conn_) == CONNECTION_OK) {
        if (PGresult* sync = lib().PQgetResult(conn_)) lib().PQclear(sync);  // PGRES_PIPELINE_SYNC
        lib().PQexitPipelineMode(conn_);
    }
    if (!sent || failed || lib().PQstatus(conn_) != CONNECTION_OK || results.size() != steps.size())
        fail(failed, failed ? std::string_view(failed_what) : std::string_view("pipeline"));
    return results;
}

void Connection::each_row(const Query& q, const Params& params,
                          const std::function<void(const Result&)>& row) {
    prepare(q);
    if (!lib().PQsendQueryPrepared(conn_, q.name, params.size(), params.values(), nullptr, nullptr,
                                   0))
        fail(nullptr, q.sql);
    lib().PQsetSingleRowMode(conn_);
    // Every result is read, even after a failure or an exception of `row`, so the connection
    // is ready for the next command.
    std::exception_ptr error;
    PGresult* failed = nullptr;
    while (PGresult* r = lib().PQgetResult(conn_)) {
        const ExecStatusType s = lib().PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && !error && !failed) {
            Result one(r);
            try {
                row(one);
            } catch (...) {
                error = std::current_exception();
            }
        } else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && !failed) {
            failed = r;
        } else {
            lib().PQclear(r);
        }
        if (lib().PQstatus(conn_) != CONNECTION_OK) break;
    }
    if (failed || lib().PQstatus(conn_) != CONNECTION_OK) fail(failed, q.sql);
    if (error) std::rethrow_exception(error);
}

// ---- Transaction

Transaction::Transaction(Connection& conn) : conn_(conn), owner_(!conn.in_transaction()) {
    if (owner_) conn_.exec("BEGIN");
}

Transaction::Transaction(Connection& conn, std::vector<Connection::Step>& first)
    : conn_(conn), owner_(!conn.in_transaction()) {
    if (owner_) first.insert(first.begin(), Connection::Step{nullptr, {}, "BEGIN"});
}

// Whatever is still open when the owner leaves (no commit, or a batch that failed before
// its COMMIT) is rolled back.
Transaction::~Transaction() {
    if (!owner_ || !conn_.in_transaction()) return;
    try {
        conn_.exec("ROLLBACK");
    } catch (...) {
        // The session is gone (it rolls back by itself) or will be dropped: nothing to do.
    }
}

void Transaction::commit() {
    if (owner_) conn_.exec("COMMIT");
}

void Transaction::commit(std::vector<Connection::Step>& last) {
    if (owner_) last.push_back(Connection::Step{nullptr, {}, "COMMIT"});
}

}  // namespace tagwatch::pg
