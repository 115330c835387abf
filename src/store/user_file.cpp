// One user's SQLite file (datafolder.hpp): TimeTagger's schema, the statements of every
// operation of store.hpp, and the snapshot that lets the hot path skip SQLite's work.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>

#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "store/datafolder.hpp"
#include "store/sqlite.hpp"

namespace tagwatch {

namespace {

using sqlite::Run;
using sqlite::Statement;

// TimeTagger's schema, statement for statement as itemdb's ensure_table issues them
// (SQLite stores them without "IF NOT EXISTS", as in TimeTagger's files), then the one
// index of ours: the running records (t1 = t2), which GET records needs a way to find
// without reading every record. TimeTagger checks a table's columns, never its indexes
// (docs/api.md, Storage), so a file with it still moves back.
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS userinfo (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st) "
    "WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS idx_userinfo_key ON userinfo (key)",
    "CREATE INDEX IF NOT EXISTS idx_userinfo_st ON userinfo (st)",
    "CREATE TABLE IF NOT EXISTS records (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st, t1, "
    "t2) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS idx_records_key ON records (key)",
    "CREATE INDEX IF NOT EXISTS idx_records_st ON records (st)",
    "CREATE INDEX IF NOT EXISTS idx_records_t1 ON records (t1)",
    "CREATE INDEX IF NOT EXISTS idx_records_t2 ON records (t2)",
    "CREATE TABLE IF NOT EXISTS settings (_ob TEXT NOT NULL, key NOT NULL PRIMARY KEY, st) "
    "WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS idx_settings_key ON settings (key)",
    "CREATE INDEX IF NOT EXISTS idx_settings_st ON settings (st)",
    "CREATE INDEX IF NOT EXISTS tagwatch_records_running ON records (t1) WHERE t1 = t2",
    "CREATE INDEX IF NOT EXISTS tagwatch_records_duration ON records (t2 - t1)",
};
constexpr int kSchemaObjects = sizeof kSchema / sizeof kSchema[0];

// Applies the pragmas and makes sure every table and index of the schema exists (adding
// only what is missing, as TimeTagger's ensure_table does).
bool prepare_file(sqlite::Connection& c, const std::string& journal_mode) {
    c.set_journal_mode(journal_mode);
    int present = 0;
    {
        Statement s(c,
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('userinfo', 'records', "
                    "'settings', 'idx_userinfo_key', 'idx_userinfo_st', 'idx_records_key', "
                    "'idx_records_st', 'idx_records_t1', 'idx_records_t2', 'idx_settings_key', "
                    "'idx_settings_st', 'tagwatch_records_running', "
                    "'tagwatch_records_duration')");
        Run r(s);
        if (r.step()) present = static_cast<int>(r.int64(0));
    }
    c.exec("PRAGMA synchronous=FULL");  // an answered write survives a power cut
    if (present == kSchemaObjects) return true;
    sqlite::Transaction txn(c);
    for (const char* sql : kSchema) c.exec(sql);
    txn.commit();
    return true;
}

// The time of the last force-reset, as TimeTagger stores it (NULL when there was none).
constexpr const char* kResetTimeSql =
    "SELECT CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.value') END FROM userinfo "
    "WHERE key = 'reset_time'";

// The timerange rule (docs/api.md, Queries), TimeTagger's
// `(t2 >= A AND t1 <= B) OR (t1 = t2 AND t1 <= B)`: any overlap with [A, B] = [?1, ?2],
// and running records reach into the future. Written as two queries so that each has an
// index (TimeTagger's OR reads every record). A record that overlaps starts at or after
// A - D, D being the longest record's t2 - t1 (?3 = A - D, found through an index of ours),
// so the first query reads only the t1 index between A - D and B. The second finds the
// running records that start before A through the partial index of ours, which a query
// uses only when it says `t1 = t2`.
std::string in_range_sql(const char* columns) {
    const std::string select = std::string("SELECT ") + columns + " FROM records ";
    return select + "WHERE t1 >= ?3 AND t1 <= ?2 AND t2 >= ?1 UNION ALL " + select +
           "WHERE t1 = t2 AND t1 < ?1 AND t1 <= ?2";
}

}  // namespace

struct UserFile::Impl {
    std::function<double()> clock = now_seconds;
    sqlite::Connection conn;
    bool schema_ready;  // initialised before the statements, which need the tables

    Statement data_version;
    Statement poll;  // the hot path: max(st) of both tables and the reset time

    // What this connection last read of the small things every request needs (the poll's
    // figures, the seeds), kept while SQLite's data_version says no other connection has
    // committed since. This connection's own writes do not move data_version: every write
    // transaction drops the snapshot itself (write()).
    struct Snapshot {
        int64_t version = -1;
        std::optional<std::array<double, 3>> poll;  // max st of records, of settings; reset time
        std::map<std::string, std::string> seeds;
    } snap;

    Statement reset_time;
    Statement userinfo_value, userinfo_put, userinfo_list, userinfo_delete;
    Statement records_all, records_since, settings_all, settings_since;
    Statement read_begin, read_end;  // one snapshot for the longest duration and the records
    Statement longest, records_range, records_range_ds;
    Statement records_get, records_put, records_restamp;
    Statement settings_get, settings_put, settings_restamp;

    Impl(const std::string& p, const std::string& journal_mode)
        : conn(p),
          schema_ready(prepare_file(conn, journal_mode)),
          data_version(conn, "PRAGMA data_version"),
          poll(conn, std::string("SELECT (SELECT max(st) FROM records), (SELECT max(st) FROM "
                                 "settings), (") +
                         kResetTimeSql + ")"),
          reset_time(conn, kResetTimeSql),
          userinfo_value(conn,
                         "SELECT CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.value') "
                         "END FROM userinfo WHERE key = ?1"),
          userinfo_put(conn, "INSERT OR REPLACE INTO userinfo (_ob, key, st) VALUES (?1, ?2, ?3)"),
          userinfo_list(conn,
                        "SELECT key, CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.value') "
                        "END FROM userinfo WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key"),
          userinfo_delete(conn, "DELETE FROM userinfo WHERE key = ?1"),
          records_all(conn, "SELECT _ob FROM records"),
          records_since(conn, "SELECT _ob FROM records WHERE st >= ?1"),
          settings_all(conn, "SELECT _ob FROM settings"),
          settings_since(conn, "SELECT _ob FROM settings WHERE st >= ?1"),
          read_begin(conn, "BEGIN"),
          read_end(conn, "COMMIT"),
          longest(conn, "SELECT max(t2 - t1) FROM records"),
          records_range(conn, in_range_sql("_ob, t1, t2")),
          records_range_ds(conn, in_range_sql("_ob, t1, t2, CASE WHEN json_valid(_ob) THEN "
                                              "json_extract(_ob, '$.ds') END")),
          records_get(conn,
                      "SELECT _ob, st, CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.mt') "
                      "END FROM records WHERE key = ?1"),
          records_put(conn,
                      "INSERT OR REPLACE INTO records (_ob, key, st, t1, t2) VALUES (?1, ?2, ?3, "
                      "?4, ?5)"),
          records_restamp(conn, "UPDATE records SET _ob = ?1, st = ?2 WHERE key = ?3"),
          settings_get(conn,
                       "SELECT _ob, st, CASE WHEN json_valid(_ob) THEN json_extract(_ob, '$.mt') "
                       "END FROM settings WHERE key = ?1"),
          settings_put(conn, "INSERT OR REPLACE INTO settings (_ob, key, st) VALUES (?1, ?2, ?3)"),
          settings_restamp(conn, "UPDATE settings SET _ob = ?1, st = ?2 WHERE key = ?3") {}

    void refresh_snapshot() {
        Run r(data_version);
        const int64_t v = r.step() ? r.int64(0) : -2;
        if (v != snap.version || v < 0) {
            snap = Snapshot{};
            snap.version = v;
        }
    }

    // The write lock (BEGIN IMMEDIATE); whatever happens in it, the snapshot is stale after.
    sqlite::Transaction write() {
        snap.version = -1;
        return sqlite::Transaction(conn);
    }

    double read_reset_time() {
        Run r(reset_time);
        if (r.step() && r.is_number(0)) return r.real(0);
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

    std::string new_seed(const std::string& kind, const std::function<std::string()>& make_seed) {
        std::string seed = make_seed();
        std::string value;
        py_json_string(seed, value);
        put_userinfo(kind, clock(), value);
        return seed;
    }
};

namespace {

// The steps of a PUT on this file's tables, inside its write transaction.
class FileWriter : public ItemWriter {
  public:
    explicit FileWriter(UserFile::Impl& im) : im_(im) {}

    std::optional<StoredItem> get(Kind kind, std::string_view key) override {
        Run r(kind == Kind::records ? im_.records_get : im_.settings_get);
        r.bind(1, key);
        if (!r.step()) return std::nullopt;
        StoredItem item;
        item.ob = std::string(r.text(0));
        item.st = r.is_null(1) ? -INFINITY : r.real(1);
        if (r.type(2) == SQLITE_INTEGER)
            item.mt = r.int64(2);
        else if (r.type(2) == SQLITE_FLOAT)
            item.mt = r.real(2);
        return item;
    }

    void put(Kind kind, const ValidItem& item, const std::string& ob, double st) override {
        const bool records = kind == Kind::records;
        Run r(records ? im_.records_put : im_.settings_put);
        r.bind(1, std::string_view(ob)).bind(2, std::string_view(item.key)).bind(3, st);
        if (records) r.bind(4, item.t1).bind(5, item.t2);
        r.step();
    }

    void restamp(Kind kind, std::string_view key, const std::string& ob, double st) override {
        Run r(kind == Kind::records ? im_.records_restamp : im_.settings_restamp);
        r.bind(1, std::string_view(ob)).bind(2, st).bind(3, key);
        r.step();
    }

  private:
    UserFile::Impl& im_;
};

}  // namespace

UserFile::UserFile(const std::string& path, const std::string& journal_mode)
    : path_(path), journal_mode_(journal_mode) {
    if (journal_mode != "wal" && journal_mode != "delete")
        throw std::invalid_argument("store: journal_mode must be wal or delete, not " +
                                    journal_mode);
    open();
}

UserFile::~UserFile() = default;

UserFile::Impl& UserFile::open() {
    if (!impl_) {
        impl_ = std::make_unique<Impl>(path_, journal_mode_);
        impl_->clock = clock_;
    }
    return *impl_;
}

bool UserFile::broken() {
    std::lock_guard lock(mutex_);
    return impl_ && impl_->conn.broken();
}

void UserFile::close() {
    std::lock_guard lock(mutex_);
    if (!impl_) return;
    if (!impl_->conn.broken()) impl_->conn.checkpoint();
    impl_.reset();
}

void UserFile::set_clock(std::function<double()> clock) {
    std::lock_guard lock(mutex_);
    clock_ = std::move(clock);
    open().clock = clock_;
}

void UserFile::set_busy_timeout(int milliseconds) {
    std::lock_guard lock(mutex_);
    open().conn.set_busy_timeout(milliseconds);
}

std::vector<PutResult> UserFile::put_batches(const Batches& batches) {
    std::lock_guard lock(mutex_);
    auto& im = open();
    auto txn = im.write();
    // Read after the lock is taken: every st written here is later than any poll that
    // already answered, so no client skips this write.
    const double now = im.clock();
    FileWriter writer(im);
    auto results = merge_batches(writer, batches, now, im.read_reset_time());
    txn.commit();
    return results;
}

Updates UserFile::get_updates(double since, bool reuse_snapshot) {
    std::lock_guard lock(mutex_);
    auto& im = open();
    Updates up;

    // Hot path, without the write lock and without reading any item: when no st reaches
    // `since` and there was no reset since then, answer min(since, now). That can never
    // move a client past a write that is still committing, since such a write's st is at
    // least the now of its lock.
    if (!reuse_snapshot || im.snap.version < 0) im.refresh_snapshot();
    if (!im.snap.poll) {
        Run r(im.poll);
        if (r.step()) {
            auto real_or = [&r](int col, double missing) {
                return r.is_number(col) ? r.real(col) : missing;
            };
            im.snap.poll =
                std::array<double, 3>{real_or(0, -INFINITY), real_or(1, -INFINITY), real_or(2, -1)};
        }
    }
    if (im.snap.poll) {
        const auto [rec_max, set_max, reset] = *im.snap.poll;
        if (rec_max < since && set_max < since && since > reset) {
            up.server_time = std::min(since, im.clock());
            return up;
        }
    }

    // Something to send: read it and `now` under the write lock (writing nothing), so no
    // write is half done while we look.
    auto txn = im.write();
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

std::string UserFile::get_records_json(const RecordFilter& filter) {
    std::lock_guard lock(mutex_);
    auto& im = open();
    std::vector<std::string_view> tags;
    for (const auto& t : filter.tags)
        if (!t.empty() && t != "#") tags.emplace_back(t);
    const bool need_ds = filter.hidden.has_value() || !tags.empty();

    const int64_t from = truncate_clamped(filter.t_from), to = truncate_clamped(filter.t_to);
    Run begin(im.read_begin);
    begin.step();
    struct End {  // the read transaction ends on every path (a failed step included)
        UserFile::Impl& im;
        ~End() {
            if (sqlite3_get_autocommit(im.conn.get())) return;
            sqlite3_step(im.read_end.get());  // a read commits nothing: no error to report
            sqlite3_reset(im.read_end.get());
        }
    } end{im};
    double longest = 0;
    {
        Run d(im.longest);
        if (d.step() && d.is_number(0)) longest = std::max(0.0, d.real(0));
    }
    Run r(need_ds ? im.records_range_ds : im.records_range);
    r.bind(1, from).bind(2, to).bind(3, static_cast<double>(from) - longest);
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

std::string UserFile::get_settings_json() {
    std::lock_guard lock(mutex_);
    auto& im = open();
    return im.collect(im.settings_all, std::nullopt);
}

void UserFile::force_reset() {
    std::lock_guard lock(mutex_);
    auto& im = open();
    auto txn = im.write();
    const double now = im.clock();
    im.put_userinfo("reset_time", now, py_float_repr(now));
    txn.commit();
}

double UserFile::reset_time() {
    std::lock_guard lock(mutex_);
    return open().read_reset_time();
}

std::string UserFile::get_seed(const std::string& kind,
                               const std::function<std::string()>& make_seed) {
    check_seed_kind(kind);
    std::lock_guard lock(mutex_);
    auto& im = open();
    im.refresh_snapshot();
    if (auto it = im.snap.seeds.find(kind); it != im.snap.seeds.end()) return it->second;
    if (auto seed = im.read_seed(kind)) {
        im.snap.seeds[kind] = *seed;
        return *seed;
    }
    auto txn = im.write();
    // Another process may have made it meanwhile: keep theirs, or we would revoke the
    // token it just handed out.
    if (auto seed = im.read_seed(kind)) {
        txn.commit();
        return *seed;
    }
    std::string seed = im.new_seed(kind, make_seed);
    txn.commit();
    return seed;
}

std::string UserFile::reset_seed(const std::string& kind,
                                 const std::function<std::string()>& make_seed) {
    check_seed_kind(kind);
    std::lock_guard lock(mutex_);
    auto& im = open();
    auto txn = im.write();
    std::string seed = im.new_seed(kind, make_seed);
    txn.commit();
    return seed;
}

std::vector<UserStore::InfoItem> UserFile::get_info_items(std::string_view prefix) {
    check_info_key(prefix);
    std::lock_guard lock(mutex_);
    auto& im = open();
    std::vector<InfoItem> items;
    Run r(im.userinfo_list);
    r.bind(1, prefix);
    while (r.step())
        if (r.type(1) == SQLITE_TEXT)
            items.push_back(InfoItem{std::string(r.text(0)), std::string(r.text(1))});
    return items;
}

std::optional<std::string> UserFile::get_info_item(std::string_view key) {
    check_info_key(key);
    std::lock_guard lock(mutex_);
    auto& im = open();
    Run r(im.userinfo_value);
    r.bind(1, key);
    if (r.step() && r.type(0) == SQLITE_TEXT) return std::string(r.text(0));
    return std::nullopt;
}

void UserFile::put_info_item(std::string_view key, std::string_view value_json) {
    check_info_key(key);
    std::lock_guard lock(mutex_);
    auto& im = open();
    auto txn = im.write();
    im.put_userinfo(key, im.clock(), value_json);
    txn.commit();
}

bool UserFile::delete_info_item(std::string_view key) {
    check_info_key(key);
    std::lock_guard lock(mutex_);
    auto& im = open();
    auto txn = im.write();
    {
        Run r(im.userinfo_delete);
        r.bind(1, key);
        r.step();
    }
    const bool deleted = sqlite3_changes(im.conn.get()) > 0;
    txn.commit();
    return deleted;
}

}  // namespace tagwatch
