// The per-user SQLite store: RAII wrappers for the connection, statements and
// write transactions, TimeTagger's schema, and the operations of store.hpp.
#include "store/store.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <map>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "store/naming.hpp"
#include "util/clock.hpp"

namespace tagwatch {

namespace {

constexpr int kBusyTimeoutMs = 10000;

// TimeTagger's schema, statement for statement as itemdb's ensure_table issues
// them (SQLite stores them without "IF NOT EXISTS", as in TimeTagger's files).
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS userinfo (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st) WITHOUT "
    "ROWID",
    "CREATE INDEX IF NOT EXISTS idx_userinfo_key ON userinfo (key)",
    "CREATE INDEX IF NOT EXISTS idx_userinfo_st ON userinfo (st)",
    "CREATE TABLE IF NOT EXISTS records (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st, t1, t2) "
    "WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS idx_records_key ON records (key)",
    "CREATE INDEX IF NOT EXISTS idx_records_st ON records (st)",
    "CREATE INDEX IF NOT EXISTS idx_records_t1 ON records (t1)",
    "CREATE INDEX IF NOT EXISTS idx_records_t2 ON records (t2)",
    "CREATE TABLE IF NOT EXISTS settings (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st) WITHOUT "
    "ROWID",
    "CREATE INDEX IF NOT EXISTS idx_settings_key ON settings (key)",
    "CREATE INDEX IF NOT EXISTS idx_settings_st ON settings (st)",
};
constexpr int kSchemaObjects = sizeof kSchema / sizeof kSchema[0];

[[noreturn]] void fail(sqlite3* db, int rc, const char* what) {
    const int primary = rc & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw StoreBusy("the data store is busy, try again shortly");
    throw std::runtime_error(std::string("store: ") + what + ": " +
                             (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

class Connection {
  public:
    explicit Connection(const std::string& path) {
        // A new file is made 0600 before SQLite opens it (its -wal and -shm take the same
        // mode): a user's records are nobody else's business, whatever the umask.
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = "store: cannot open " + path + ": " +
                              (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
            sqlite3_close(db_);
            throw std::runtime_error(msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        // Set before anything touches the file, so that no statement (even a
        // prepare reading the schema) fails at once on another process's lock.
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    }
    ~Connection() { sqlite3_close_v2(db_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return db_; }

    void exec(const char* sql) {
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, sql);
    }

  private:
    sqlite3* db_ = nullptr;
};

// A statement prepared once per connection and reused (persistent prepare).
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, sql);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    sqlite3* db() const { return db_; }
    sqlite3_stmt* get() const { return stmt_; }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// One execution of a Statement; resets it and its bindings on every exit path,
// so a statement never stays active (which would hold back checkpoints/writers).
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
        fail(s_.db(), rc, sqlite3_sql(s_.get()));
    }

    int type(int col) const { return sqlite3_column_type(s_.get(), col); }
    bool is_null(int col) const { return type(col) == SQLITE_NULL; }
    int64_t int64(int col) const { return sqlite3_column_int64(s_.get(), col); }
    double real(int col) const { return sqlite3_column_double(s_.get(), col); }
    std::string_view text(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_.get(), col));
        const int n = sqlite3_column_bytes(s_.get(), col);
        return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
    }

  private:
    Run& check(int rc) {
        if (rc != SQLITE_OK) fail(s_.db(), rc, "bind");
        return *this;
    }
    Statement& s_;
};

// Appends `ob` to a JSON array under construction ("[" already written).
void append_item(std::string& out, std::string_view ob) {
    if (out.size() > 1) out += ',';
    out += ob;
}

int64_t truncate_clamped(double v) {
    if (std::isnan(v)) return 0;
    const double t = std::trunc(v);
    if (t <= -9223372036854775808.0) return INT64_MIN;
    if (t >= 9223372036854775808.0) return INT64_MAX;
    return static_cast<int64_t>(t);
}

void check_seed_kind(const std::string& kind) {
    if (kind != "webtoken_seed" && kind != "apitoken_seed")
        throw std::invalid_argument("store: unknown seed kind: " + kind);
}

// A userinfo item, shaped as TimeTagger's put_one(key=, st=, mt=, value=) writes it.
std::string userinfo_ob(std::string_view key, double st, std::string_view value_json) {
    std::string ob = "{\"key\": ";
    py_json_string(key, ob);
    const std::string t = py_float_repr(st);
    ob += ", \"st\": " + t + ", \"mt\": " + t + ", \"value\": ";
    ob += value_json;
    ob += '}';
    return ob;
}

// Sets the journal mode when the file has another one. Changing it needs the file to itself,
// and SQLite answers "busy" at once there instead of waiting in its busy handler, which is
// what several workers meet when a new user's first requests reach them together: so look
// first (a file already in the mode needs no lock) and try again for up to the busy timeout.
void set_journal_mode(Connection& c, const std::string& journal_mode) {
    const std::string want = journal_mode == "wal" ? "wal" : "delete";
    for (int waited_ms = 0;; waited_ms += 10) {
        try {
            std::string current;
            {
                Statement q(c.get(), "PRAGMA journal_mode");
                Run r(q);
                if (r.step()) current = std::string(r.text(0));
            }
            if (current != want) c.exec(want == "wal" ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE");
            return;
        } catch (const StoreBusy&) {
            if (waited_ms >= kBusyTimeoutMs) throw;
            sqlite3_sleep(10);
        }
    }
}

// Applies the pragmas and makes sure every table and index of TimeTagger's
// schema exists (adding only what is missing, as its ensure_table does).
bool prepare_file(Connection& c, const std::string& journal_mode) {
    set_journal_mode(c, journal_mode);
    int present = 0;
    {
        Statement s(
            c.get(),
            "SELECT count(*) FROM sqlite_master WHERE name IN ('userinfo', 'records', 'settings', "
            "'idx_userinfo_key', 'idx_userinfo_st', 'idx_records_key', 'idx_records_st', "
            "'idx_records_t1', 'idx_records_t2', 'idx_settings_key', 'idx_settings_st')");
        Run r(s);
        if (r.step()) present = static_cast<int>(r.int64(0));
    }
    c.exec("PRAGMA synchronous=FULL");  // an answered write survives a power cut
    if (present == kSchemaObjects) return true;
    c.exec("BEGIN IMMEDIATE");
    try {
        for (const char* sql : kSchema) c.exec(sql);
        c.exec("COMMIT");
        return true;
    } catch (...) {
        sqlite3_exec(c.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

}  // namespace

// The time of the last force-reset, as TimeTagger stores it (NULL when there was none).
constexpr const char* kResetTimeSql =
    "SELECT CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.value') END FROM userinfo WHERE key = 'reset_time'";

// API.md's timerange rule: any overlap with [?1, ?2]; running records reach into the future.
constexpr const char* kInRangeSql = "WHERE (t2 >= ?1 AND t1 <= ?2) OR (t1 = t2 AND t1 <= ?2)";

struct UserStore::Impl {
    std::string path;
    std::mutex mutex;
    std::function<double()> clock = now_seconds;
    Connection conn;
    bool schema_ready;  // initialised before the statements, which need the tables

    Statement begin, commit, rollback;
    Statement data_version;
    Statement poll;  // the hot path: max(st) of both tables and the reset time

    // What this connection last read of the small things every request needs (the poll's
    // figures, the seeds), kept while SQLite's data_version says no other connection has
    // committed since. This connection's own writes do not move data_version: every write
    // transaction drops the snapshot itself (WriteTransaction).
    struct Snapshot {
        int64_t version = -1;
        std::optional<std::array<double, 3>> poll;  // max st of records, of settings; reset time
        std::map<std::string, std::string> seeds;
    } snap;

    void refresh_snapshot() {
        Run r(data_version);
        const int64_t v = r.step() ? r.int64(0) : -2;
        if (v != snap.version || v < 0) {
            snap = Snapshot{};
            snap.version = v;
        }
    }
    Statement reset_time;
    Statement userinfo_value, userinfo_put;
    Statement records_all, records_since, settings_all, settings_since;
    Statement records_range, records_range_ds;
    Statement records_get, records_put, records_restamp;
    Statement settings_get, settings_put, settings_restamp;

    Impl(const std::string& p, const std::string& journal_mode)
        : path(p),
          conn(p),
          schema_ready(prepare_file(conn, journal_mode)),
          begin(conn.get(), "BEGIN IMMEDIATE"),
          commit(conn.get(), "COMMIT"),
          rollback(conn.get(), "ROLLBACK"),
          data_version(conn.get(), "PRAGMA data_version"),
          poll(conn.get(), (std::string("SELECT (SELECT max(st) FROM records), (SELECT max(st) FROM settings), (") +
                                kResetTimeSql + ")").c_str()),
          reset_time(conn.get(), kResetTimeSql),
          userinfo_value(conn.get(),
                         "SELECT CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.value') END FROM userinfo WHERE key = ?1"),
          userinfo_put(conn.get(),
                       "INSERT OR REPLACE INTO userinfo (_ob, key, st) VALUES (?1, ?2, ?3)"),
          records_all(conn.get(), "SELECT _ob FROM records"),
          records_since(conn.get(), "SELECT _ob FROM records WHERE st >= ?1"),
          settings_all(conn.get(), "SELECT _ob FROM settings"),
          settings_since(conn.get(), "SELECT _ob FROM settings WHERE st >= ?1"),
          records_range(conn.get(), (std::string("SELECT _ob, t1, t2 FROM records ") + kInRangeSql).c_str()),
          records_range_ds(conn.get(), (std::string("SELECT _ob, t1, t2, CASE WHEN json_valid(_ob) THEN "
                                                    "json_extract(_ob, '$.ds') END FROM records ") +
                                        kInRangeSql).c_str()),
          records_get(conn.get(),
                      "SELECT _ob, st, CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.mt') END FROM records WHERE key = ?1"),
          records_put(
              conn.get(),
              "INSERT OR REPLACE INTO records (_ob, key, st, t1, t2) VALUES (?1, ?2, ?3, ?4, ?5)"),
          records_restamp(conn.get(), "UPDATE records SET _ob = ?1, st = ?2 WHERE key = ?3"),
          settings_get(conn.get(),
                       "SELECT _ob, st, CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.mt') END FROM settings WHERE key = ?1"),
          settings_put(conn.get(),
                       "INSERT OR REPLACE INTO settings (_ob, key, st) VALUES (?1, ?2, ?3)"),
          settings_restamp(conn.get(), "UPDATE settings SET _ob = ?1, st = ?2 WHERE key = ?3") {}

    double read_reset_time() {
        Run r(reset_time);
        if (r.step() && (r.type(0) == SQLITE_FLOAT || r.type(0) == SQLITE_INTEGER))
            return r.real(0);
        return -1;  // TimeTagger's default: no reset yet
    }

    std::string collect(Statement& s, std::optional<double> since) {
        Run r(s);
        if (since) r.bind(1, *since);
        std::string out = "[";
        while (r.step()) append_item(out, r.text(0));
        out += ']';
        return out;
    }

    void put_userinfo(std::string_view key, double st, std::string_view value_json) {
        const std::string ob = userinfo_ob(key, st, value_json);
        Run r(userinfo_put);
        r.bind(1, std::string_view(ob)).bind(2, key).bind(3, st);
        r.step();
    }

    std::optional<std::string> read_seed(const std::string& kind) {
        Run r(userinfo_value);
        r.bind(1, std::string_view(kind));
        if (r.step() && r.type(0) == SQLITE_TEXT && !r.text(0).empty())
            return std::string(r.text(0));
        return std::nullopt;
    }
};

namespace {

// BEGIN IMMEDIATE ... COMMIT, rolled back when left without commit().
class WriteTransaction {
  public:
    template <class I>
    explicit WriteTransaction(I& impl)
        : begin_(impl.begin), commit_(impl.commit), rollback_(impl.rollback), snapshot_version_(impl.snap.version) {
        snapshot_version_ = -1;  // whatever happens in here, the snapshot is stale after it
        Run r(begin_);
        r.step();
    }
    ~WriteTransaction() {
        if (!done_) {
            Run r(rollback_);
            sqlite3_step(rollback_.get());  // best effort; never throws from a destructor
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
        Run r(commit_);
        r.step();
        done_ = true;
        snapshot_version_ = -1;
    }

  private:
    Statement& begin_;
    Statement& commit_;
    Statement& rollback_;
    int64_t& snapshot_version_;
    bool done_ = false;
};

}  // namespace

UserStore::UserStore(const std::string& path, const std::string& journal_mode) {
    if (journal_mode != "wal" && journal_mode != "delete")
        throw std::invalid_argument("store: journal_mode must be wal or delete, not " +
                                    journal_mode);
    impl_ = std::make_unique<Impl>(path, journal_mode);
}

UserStore::~UserStore() = default;

const std::string& UserStore::path() const { return impl_->path; }

void UserStore::set_clock(std::function<double()> clock) {
    std::lock_guard lock(impl_->mutex);
    impl_->clock = std::move(clock);
}

void UserStore::set_busy_timeout(int milliseconds) {
    std::lock_guard lock(impl_->mutex);
    sqlite3_busy_timeout(impl_->conn.get(), milliseconds);
}

PutResult UserStore::put_items(Kind kind, const rapidjson::Value& array) {
    return put_batches({{kind, &array}}).front();
}

std::vector<PutResult> UserStore::put_batches(
    const std::vector<std::pair<Kind, const rapidjson::Value*>>& batches) {
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    std::vector<PutResult> results;
    WriteTransaction txn(im);
    // Read after the lock is taken: every st written here is later than any
    // poll that already answered, so no client skips this write.
    const double now = im.clock();
    const double reset_time = im.read_reset_time();

    for (const auto& [kind, array_ptr] : batches) {
        const rapidjson::Value& array = *array_ptr;
        const bool records = kind == Kind::records;
        Statement& get = records ? im.records_get : im.settings_get;
        Statement& restamp = records ? im.records_restamp : im.settings_restamp;
        PutResult res;
        std::vector<std::string> keyless_errors;
        for (const auto& value : array.GetArray()) {
            Validation v = validate_item(kind, value);
            if (!v.key) {
                keyless_errors.push_back(std::move(v.error));
                continue;
            }
            if (v.ok && static_cast<double>(v.item.mt) < reset_time) {
                v.ok = false;
                v.error = item_label(kind, *v.key) + ": mt " + std::to_string(v.item.mt) +
                          " is older than the last force-reset (the client must reload)";
            }

            // The stored item, if any: its text, st and mt.
            std::optional<std::string> cur_ob;
            double cur_st = 0;
            bool cur_wins = false;
            {
                Run r(get);
                r.bind(1, std::string_view(*v.key));
                if (r.step()) {
                    cur_ob = std::string(r.text(0));
                    cur_st = r.type(1) == SQLITE_NULL ? -INFINITY : r.real(1);
                    if (v.ok) {
                        if (r.type(2) == SQLITE_INTEGER)
                            cur_wins = r.int64(2) > v.item.mt;
                        else if (r.type(2) == SQLITE_FLOAT)
                            cur_wins = r.real(2) > static_cast<double>(v.item.mt);
                    }
                }
            }

            if (v.ok) {
                res.accepted.push_back(*v.key);
            } else {
                res.failed.push_back(*v.key);
                res.errors.push_back(std::move(v.error));
                if (!cur_ob) continue;  // nothing stored under this key: nothing to re-stamp
                cur_wins = true;
            }

            // st strictly increases on every write of a key, so clients converge.
            const double st = cur_ob ? std::max(now, cur_st + 0.0001) : now;
            std::string restamped;
            if (cur_wins) {
                try {
                    restamped = restamp_ob(*cur_ob, st);
                } catch (const std::runtime_error&) {
                    // The stored text is not JSON (not written by us or TimeTagger):
                    // let a valid incoming item replace it, otherwise leave it be.
                    if (!v.ok) continue;
                    cur_wins = false;
                }
            }
            if (cur_wins) {
                const std::string& ob = restamped;
                Run r(restamp);
                r.bind(1, std::string_view(ob)).bind(2, st).bind(3, std::string_view(*v.key));
                r.step();
            } else {
                const std::string ob = make_ob(kind, v.item, st);
                Run r(records ? im.records_put : im.settings_put);
                r.bind(1, std::string_view(ob)).bind(2, std::string_view(v.item.key)).bind(3, st);
                if (records) r.bind(4, v.item.t1).bind(5, v.item.t2);
                r.step();
            }
        }
        for (auto& e : keyless_errors) res.errors.push_back(std::move(e));
        results.push_back(std::move(res));
    }
    txn.commit();
    return results;
}

Updates UserStore::get_updates(double since, bool reuse_snapshot) {
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    Updates up;

    // Hot path, without the write lock and without reading any item: when no
    // st reaches `since` and there was no reset since then, answer
    // min(since, now). That can never move a client past a write that is still
    // committing, since such a write's st is at least the now of its lock.
    if (!reuse_snapshot || im.snap.version < 0) im.refresh_snapshot();
    if (!im.snap.poll) {
        Run r(im.poll);
        if (r.step()) {
            auto real_or = [&r](int col, double missing) {
                return r.type(col) == SQLITE_FLOAT || r.type(col) == SQLITE_INTEGER ? r.real(col) : missing;
            };
            im.snap.poll = std::array<double, 3>{real_or(0, -INFINITY), real_or(1, -INFINITY), real_or(2, -1)};
        }
    }
    if (im.snap.poll) {
        const auto [rec_max, set_max, reset] = *im.snap.poll;
        if (rec_max < since && set_max < since && since > reset) {
            up.server_time = std::min(since, im.clock());
            return up;
        }
    }

    // Something to send: read it and `now` under the write lock (writing
    // nothing), so no write is half done while we look.
    WriteTransaction txn(im);
    up.server_time = im.clock();
    up.reset = since <= im.read_reset_time();
    if (up.reset) {
        up.records_json = im.collect(im.records_all, std::nullopt);
        up.settings_json = im.collect(im.settings_all, std::nullopt);
    } else {
        up.records_json = im.collect(im.records_since, since);
        up.settings_json = im.collect(im.settings_since, since);
    }
    txn.commit();
    return up;
}

std::string UserStore::get_records_json(const RecordFilter& filter) {
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    std::vector<std::string_view> tags;
    for (const auto& t : filter.tags)
        if (!t.empty() && t != "#") tags.emplace_back(t);
    const bool need_ds = filter.hidden.has_value() || !tags.empty();

    Run r(need_ds ? im.records_range_ds : im.records_range);
    r.bind(1, truncate_clamped(filter.t_from)).bind(2, truncate_clamped(filter.t_to));
    std::string out = "[";
    while (r.step()) {
        if (filter.running && (r.int64(1) == r.int64(2)) != *filter.running) continue;
        if (need_ds) {
            const bool has_ds = r.type(3) == SQLITE_TEXT;
            const std::string_view ds = has_ds ? r.text(3) : std::string_view();
            if (filter.hidden && ds_is_hidden(ds) != *filter.hidden) continue;
            bool all = true;
            for (auto t : tags)
                if (!has_ds || !ds_has_tag(ds, t)) {
                    all = false;
                    break;
                }
            if (!all) continue;
        }
        append_item(out, r.text(0));
    }
    out += ']';
    return out;
}

std::string UserStore::get_settings_json() {
    std::lock_guard lock(impl_->mutex);
    return impl_->collect(impl_->settings_all, std::nullopt);
}

void UserStore::force_reset() {
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    WriteTransaction txn(im);
    const double now = im.clock();
    im.put_userinfo("reset_time", now, py_float_repr(now));
    txn.commit();
}

double UserStore::reset_time() {
    std::lock_guard lock(impl_->mutex);
    return impl_->read_reset_time();
}

std::string UserStore::get_seed(const std::string& kind,
                                const std::function<std::string()>& make_seed) {
    check_seed_kind(kind);
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    im.refresh_snapshot();
    if (auto it = im.snap.seeds.find(kind); it != im.snap.seeds.end()) return it->second;
    if (auto seed = im.read_seed(kind)) {
        im.snap.seeds[kind] = *seed;
        return *seed;
    }
    WriteTransaction txn(im);
    // Another process may have made it meanwhile: keep theirs, or we would
    // revoke the token it just handed out.
    if (auto seed = im.read_seed(kind)) {
        txn.commit();
        return *seed;
    }
    std::string seed = make_seed();
    std::string value;
    py_json_string(seed, value);
    im.put_userinfo(kind, im.clock(), value);
    txn.commit();
    return seed;
}

std::string UserStore::reset_seed(const std::string& kind,
                                  const std::function<std::string()>& make_seed) {
    check_seed_kind(kind);
    std::lock_guard lock(impl_->mutex);
    auto& im = *impl_;
    WriteTransaction txn(im);
    std::string seed = make_seed();
    std::string value;
    py_json_string(seed, value);
    im.put_userinfo(kind, im.clock(), value);
    txn.commit();
    return seed;
}

// ---- the per-process cache of open stores

namespace {

struct CacheEntry {
    std::string datadir, username, journal_mode;
    std::shared_ptr<UserStore> store;
    dev_t dev;
    ino_t ino;
    uint64_t used;
};

constexpr size_t kMaxCached = 16;

std::mutex cache_mutex;
std::vector<CacheEntry> cache;
uint64_t cache_tick = 0;
// A forked child must not use (or close) its parent's connections: it starts with an empty
// cache (the parent's entries are deliberately leaked in the child, never closed there).
void forget_cache_in_child() {
    new std::vector<CacheEntry>(std::move(cache));
    cache.clear();
}

void make_dir(const std::string& dir) {
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("store: cannot create " + dir + ": " + std::strerror(errno));
}

}  // namespace

std::string user_store_path(const std::string& datadir, const std::string& username) {
    std::string dir = datadir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return dir + "/users/" + user_filename(username);
}

std::shared_ptr<UserStore> open_user_store(const std::string& datadir, const std::string& username,
                                           const std::string& journal_mode, bool create) {
    static const bool fork_handler = pthread_atfork(nullptr, nullptr, forget_cache_in_child) == 0;
    (void)fork_handler;
    std::lock_guard lock(cache_mutex);
    // The hot path (every request): find the open store and check, with one stat(), that
    // its file is still the one on disk.
    struct stat sb {};
    for (auto it = cache.begin(); it != cache.end(); ++it) {
        if (it->username != username || it->datadir != datadir || it->journal_mode != journal_mode) continue;
        if (stat(it->store->path().c_str(), &sb) == 0 && sb.st_dev == it->dev && sb.st_ino == it->ino) {
            it->used = ++cache_tick;
            return it->store;
        }
        cache.erase(it);  // deleted or replaced since: open the file that is there now
        break;
    }
    const std::string path = user_store_path(datadir, username);
    if (!create && stat(path.c_str(), &sb) != 0) return nullptr;

    std::string dir = datadir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    make_dir(dir);
    make_dir(dir + "/users");
    auto store = std::make_shared<UserStore>(path, journal_mode);
    if (stat(path.c_str(), &sb) != 0)
        throw std::runtime_error("store: " + path +
                                 " vanished while opening: " + std::strerror(errno));
    if (cache.size() >= kMaxCached) {
        auto lru = std::min_element(
            cache.begin(), cache.end(),
            [](const CacheEntry& a, const CacheEntry& b) { return a.used < b.used; });
        cache.erase(lru);
    }
    cache.push_back(CacheEntry{datadir, username, journal_mode, store, sb.st_dev, sb.st_ino, ++cache_tick});
    return store;
}

bool user_store_exists(const std::string& datadir, const std::string& username) {
    struct stat sb {};
    return stat(user_store_path(datadir, username).c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

void clear_user_store_cache() {
    std::lock_guard lock(cache_mutex);
    cache.clear();
}

}  // namespace tagwatch
