// The PostgreSQL engine (pg_store.hpp): the schema and its migrations, a user's store, the
// login throttle and the shared state, each operation as the SQL of one transaction.
#include "store/pg_store.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "store/postgres.hpp"
#include "util/error.hpp"

namespace tagwatch {

namespace {

using pg::Params;
using pg::Query;
using pg::Result;

// Forward migrations: kMigrations[i] takes the schema from version i to i + 1. All that a
// database lacks run in one transaction, so it is either upgraded or left as it was.
constexpr const char* kMigrations[] = {
    // 1: the first schema (pg_store.hpp describes each table). Names compare byte by byte
    // (COLLATE "C"), as SQLite compares them, whatever the database's locale: no
    // locale-aware comparison in every key lookup of a database made with en_US or ICU.
    "CREATE SCHEMA IF NOT EXISTS tagwatch;"
    "CREATE TABLE tagwatch.users (username text COLLATE \"C\" PRIMARY KEY,"
    " records_st double precision, settings_st double precision, reset_time double precision,"
    " webtoken_seed text, apitoken_seed text);"
    "CREATE TABLE tagwatch.records (username text COLLATE \"C\" NOT NULL, key bytea NOT NULL,"
    " st double precision, t1 bigint, t2 bigint, _ob text NOT NULL, PRIMARY KEY (username, key));"
    "CREATE INDEX records_st ON tagwatch.records (username, st);"
    "CREATE INDEX records_t2 ON tagwatch.records (username, t2);"
    "CREATE INDEX records_running ON tagwatch.records (username, t1) WHERE t1 = t2;"
    "CREATE TABLE tagwatch.settings (username text COLLATE \"C\" NOT NULL, key bytea NOT NULL,"
    " st double precision, _ob text NOT NULL, PRIMARY KEY (username, key));"
    "CREATE INDEX settings_st ON tagwatch.settings (username, st);"
    "CREATE TABLE tagwatch.userinfo (username text COLLATE \"C\" NOT NULL, key bytea NOT NULL,"
    " st double precision, _ob text NOT NULL, PRIMARY KEY (username, key));"
    "CREATE TABLE tagwatch.shared (name text COLLATE \"C\" PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE tagwatch.credentials (username text COLLATE \"C\" PRIMARY KEY,"
    " hash text NOT NULL);"
    "CREATE TABLE tagwatch.login_failures (subject text COLLATE \"C\" NOT NULL,"
    " at double precision NOT NULL);"
    "CREATE INDEX login_failures_subject ON tagwatch.login_failures (subject, at);"
    "CREATE INDEX login_failures_at ON tagwatch.login_failures (at);"
    "CREATE TABLE tagwatch.teams (name text COLLATE \"C\" PRIMARY KEY);"
    "CREATE TABLE tagwatch.team_people (team text COLLATE \"C\" NOT NULL,"
    " username text COLLATE \"C\" NOT NULL, role text COLLATE \"C\" NOT NULL,"
    " PRIMARY KEY (team, role, username));"
    "CREATE INDEX team_people_username ON tagwatch.team_people (username);"
    "CREATE TABLE tagwatch.team_tags (team text COLLATE \"C\" NOT NULL,"
    " tag text COLLATE \"C\" NOT NULL, PRIMARY KEY (team, tag));",
};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kPgSchemaVersion);

// Advisory lock classes (the first key of pg_advisory_xact_lock(int, int)), so that our locks
// never meet another program's in a shared database: 'tw' followed by a number.
constexpr int kLockMigration = 0x74770001;
constexpr int kLockUser = 0x74770002;
constexpr int kLockThrottle = 0x74770003;

// A stable 32-bit hash (FNV-1a) of a name, the second key of an advisory lock. Two names with
// the same hash only wait for each other.
int lock_key(std::string_view name) {
    uint32_t h = 2166136261u;
    for (unsigned char c : name) h = (h ^ c) * 16777619u;
    return static_cast<int>(h);
}

// ---- the queries, prepared once per session

// The per-user row and the server's clock, in one indexed lookup (one row even for a user
// without data).
const Query kHead{"tw_head",
                  "SELECT u.records_st, u.settings_st, u.reset_time, u.webtoken_seed,"
                  " u.apitoken_seed, extract(epoch FROM clock_timestamp())::float8,"
                  " u.username IS NOT NULL"
                  " FROM (SELECT 1) one LEFT JOIN tagwatch.users u ON u.username = $1"};
const Query kLock{"tw_lock", "SELECT pg_advisory_xact_lock($1::int, $2::int)"};
const Query kClock{"tw_now", "SELECT extract(epoch FROM clock_timestamp())::float8"};
const Query kUserExists{"tw_user_exists", "SELECT 1 FROM tagwatch.users WHERE username = $1"};
const Query kUpdatesSince{"tw_updates_since",
                          "SELECT 0, _ob FROM tagwatch.records WHERE username = $1 AND st >= $2"
                          " UNION ALL "
                          "SELECT 1, _ob FROM tagwatch.settings WHERE username = $1 AND st >= $2"};
const Query kUpdatesAll{"tw_updates_all",
                        "SELECT 0, _ob FROM tagwatch.records WHERE username = $1"
                        " UNION ALL SELECT 1, _ob FROM tagwatch.settings WHERE username = $1"};
const Query kSettingsAll{"tw_settings_all",
                         "SELECT _ob FROM tagwatch.settings WHERE username = $1"};
// The timerange rule (docs/webapi.md, GET records): any overlap with [$2, $3], and running
// records, which reach into the future; each half on its own index.
const Query kRecordsRange{"tw_records_range",
                          "SELECT _ob, t1, t2 FROM tagwatch.records"
                          " WHERE username = $1 AND t2 >= $2 AND t1 <= $3"
                          " UNION ALL SELECT _ob, t1, t2 FROM tagwatch.records"
                          " WHERE username = $1 AND t1 = t2 AND t1 <= $3 AND t2 < $2"};
const Query kGetRecords{"tw_get_records",
                        "SELECT key, _ob, st, t1, t2 FROM tagwatch.records"
                        " WHERE username = $1 AND key = ANY($2::bytea[])"};
const Query kGetSettings{"tw_get_settings",
                         "SELECT key, _ob, st FROM tagwatch.settings"
                         " WHERE username = $1 AND key = ANY($2::bytea[])"};
const Query kPutRecords{"tw_put_records",
                        "INSERT INTO tagwatch.records (username, key, st, t1, t2, _ob)"
                        " SELECT $1, * FROM unnest($2::bytea[], $3::float8[], $4::int8[],"
                        " $5::int8[], $6::text[])"
                        " ON CONFLICT (username, key) DO UPDATE SET st = EXCLUDED.st,"
                        " t1 = EXCLUDED.t1, t2 = EXCLUDED.t2, _ob = EXCLUDED._ob"};
const Query kPutSettings{"tw_put_settings",
                         "INSERT INTO tagwatch.settings (username, key, st, _ob)"
                         " SELECT $1, * FROM unnest($2::bytea[], $3::float8[], $4::text[])"
                         " ON CONFLICT (username, key) DO UPDATE SET st = EXCLUDED.st,"
                         " _ob = EXCLUDED._ob"};
const Query kPutUserinfo{"tw_put_userinfo",
                         "INSERT INTO tagwatch.userinfo (username, key, st, _ob)"
                         " VALUES ($1, $2, $3, $4) ON CONFLICT (username, key) DO UPDATE"
                         " SET st = EXCLUDED.st, _ob = EXCLUDED._ob"};
// The per-user row after a PUT: the largest st of each table only grows.
const Query kHeadItems{"tw_head_items",
                       "INSERT INTO tagwatch.users (username, records_st, settings_st)"
                       " VALUES ($1, $2, $3) ON CONFLICT (username) DO UPDATE SET"
                       " records_st = greatest(tagwatch.users.records_st, EXCLUDED.records_st),"
                       " settings_st = greatest(tagwatch.users.settings_st, EXCLUDED.settings_st)"};
const Query kHeadReset{"tw_head_reset",
                       "INSERT INTO tagwatch.users (username, reset_time) VALUES ($1, $2)"
                       " ON CONFLICT (username) DO UPDATE SET reset_time = EXCLUDED.reset_time"};
const Query kHeadWebSeed{
    "tw_head_webseed",
    "INSERT INTO tagwatch.users (username, webtoken_seed) VALUES ($1, $2)"
    " ON CONFLICT (username) DO UPDATE SET webtoken_seed = EXCLUDED.webtoken_seed"};
const Query kDeleteUser[] = {
    {"tw_delete_records", "DELETE FROM tagwatch.records WHERE username = $1"},
    {"tw_delete_settings", "DELETE FROM tagwatch.settings WHERE username = $1"},
    {"tw_delete_userinfo", "DELETE FROM tagwatch.userinfo WHERE username = $1"},
    {"tw_delete_users", "DELETE FROM tagwatch.users WHERE username = $1"},
};
// The login throttle's table.
const Query kFailureAdd{"tw_failure_add",
                        "INSERT INTO tagwatch.login_failures (subject, at) VALUES ($1, $2)"};
const Query kFailurePrune{
    "tw_failure_prune",
    "DELETE FROM tagwatch.login_failures WHERE subject IN ($1, $2) AND at <= $3"};
const Query kFailureClear{"tw_failure_clear",
                          "DELETE FROM tagwatch.login_failures WHERE subject = $1"};
const Query kFailureOne{"tw_failure_one",
                        "DELETE FROM tagwatch.login_failures WHERE ctid = (SELECT ctid FROM"
                        " tagwatch.login_failures WHERE subject = $1 AND at = $2 LIMIT 1)"};
const Query kFailureBlocking{"tw_failure_blocking",
                             "SELECT at FROM tagwatch.login_failures WHERE subject = $1 AND at > $2"
                             " ORDER BY at DESC LIMIT 1 OFFSET $3"};
const Query kInfoList{"tw_info_list",
                      "SELECT key, _ob FROM tagwatch.userinfo WHERE username = $1"
                      " AND substring(key FROM 1 FOR length($2::bytea)) = $2::bytea ORDER BY key"};
const Query kInfoGet{"tw_info_get",
                     "SELECT _ob FROM tagwatch.userinfo WHERE username = $1 AND key = $2"};
const Query kInfoDelete{"tw_info_delete",
                        "DELETE FROM tagwatch.userinfo WHERE username = $1 AND key = $2"};
const Query kJwtGet{"tw_jwt_get", "SELECT value FROM tagwatch.shared WHERE name = 'jwt_key'"};
const Query kHeadApiSeed{
    "tw_head_apiseed",
    "INSERT INTO tagwatch.users (username, apitoken_seed) VALUES ($1, $2)"
    " ON CONFLICT (username) DO UPDATE SET apitoken_seed = EXCLUDED.apitoken_seed"};

// An item's key as bytea's text form (\x and hex digits). Keys are bytes: one may hold a
// NUL or, from a lone surrogate in the JSON, bytes that are not UTF-8, and PostgreSQL's
// text holds neither, while SQLite keeps them (the _ob texts are JSON in ASCII: no issue).
std::string key_hex(std::string_view key) {
    static const char digits[] = "0123456789abcdef";
    std::string out = "\\x";
    for (unsigned char c : key) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string key_from_hex(std::string_view text) {
    if (text.substr(0, 2) != "\\x" || text.size() % 2 != 0)
        throw std::runtime_error("postgres: not a bytea in hex: " +
                                 std::string(text.substr(0, 40)));
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string out;
    for (size_t i = 2; i < text.size(); i += 2)
        out += static_cast<char>(nibble(text[i]) << 4 | nibble(text[i + 1]));
    return out;
}

// Appends one element to an array literal under construction ("{" already written).
void array_add(std::string& arr, const std::optional<std::string>& text) {
    if (arr.size() > 1) arr += ',';
    if (!text) {
        arr += "NULL";
        return;
    }
    arr += '"';
    for (char c : *text) {
        if (c == '"' || c == '\\') arr += '\\';
        arr += c;
    }
    arr += '"';
}

std::string number_text(double v) {
    Params p;
    p.add(v);
    return p.values()[0];
}

// The value of a userinfo item as SQLite's json_extract(_ob, '$.value') gives it to the
// data folder's engine, when that is text: a string's content, an object's or a list's
// JSON text; nothing for other values or an _ob that is no JSON.
std::optional<std::string> info_value(std::string_view ob);

// The "value" of a userinfo item's _ob, when the _ob is JSON.
std::optional<rapidjson::Document> ob_json(std::string_view ob) {
    rapidjson::Document d;
    d.Parse(ob.data(), ob.size());
    if (d.HasParseError() || !d.IsObject()) return std::nullopt;
    return d;
}

}  // namespace

// ---- the session: one connection per process, one user of it at a time

struct PgDatabase::Session {
    std::mutex mutex;  // held for every operation on the connection
    pg::Connection conn;
    bool schema_checked = false;
    // The stores handed out lately (at most 16, the least recently used dropped), so that a
    // request's token check and poll share what the first read.
    std::mutex cache_mutex;
    std::vector<std::pair<std::string, std::shared_ptr<UserStore>>> cache;

    explicit Session(std::string conninfo) : conn(std::move(conninfo)) {}

    // Every operation starts here, outside a transaction: (re)connects when needed and
    // checks the schema once per process.
    pg::Connection& ready() {
        conn.ensure();
        if (!schema_checked) migrate();
        return conn;
    }

    int version() {
        Result exists = conn.exec("SELECT to_regclass('tagwatch.schema_version') IS NOT NULL");
        if (!exists.boolean(0, 0)) return 0;
        Result v = conn.exec("SELECT max(version) FROM tagwatch.schema_version");
        return v.is_null(0, 0) ? 0 : static_cast<int>(v.int64(0, 0));
    }

    void migrate() {
        int found = version();
        if (found < kPgSchemaVersion) {
            pg::Transaction txn(conn);
            // Hosts starting together: one upgrades, the others wait and find it done.
            static const Query lock{"tw_lock_migration",
                                    "SELECT pg_advisory_xact_lock($1::int, 0)"};
            conn.exec(lock, Params().add(kLockMigration));
            found = version();
            if (found < kPgSchemaVersion) {
                if (found == 0)
                    conn.exec(
                        "CREATE SCHEMA IF NOT EXISTS tagwatch;"
                        "CREATE TABLE IF NOT EXISTS tagwatch.schema_version (version integer NOT "
                        "NULL)");
                for (int v = found; v < kPgSchemaVersion; ++v) conn.exec(kMigrations[v]);
                conn.exec("DELETE FROM tagwatch.schema_version");
                conn.exec(("INSERT INTO tagwatch.schema_version VALUES (" +
                           std::to_string(kPgSchemaVersion) + ")")
                              .c_str());
            }
            txn.commit();
        }
        if (found > kPgSchemaVersion)
            throw std::runtime_error("the database holds tagwatch schema version " +
                                     std::to_string(found) + ", newer than this program's " +
                                     std::to_string(kPgSchemaVersion) + ": run a newer tagwatch");
        schema_checked = true;
    }

    // The user's lock for this transaction, then the time: st read after it is later than
    // every poll already answered.
    void lock_user(const std::string& username) {
        conn.exec(kLock, Params().add(kLockUser).add(lock_key(username)));
    }
};

// ---- a user's store

namespace {

struct Head {
    bool exists = false;  // the user has a row (has data)
    double records_st = -INFINITY, settings_st = -INFINITY, reset_time = -1;
    std::optional<std::string> webtoken_seed, apitoken_seed;
    double clock = 0;
};

Head head_from(const Result& r) {
    Head h;
    if (!r.is_null(0, 0)) h.records_st = r.real(0, 0);
    if (!r.is_null(0, 1)) h.settings_st = r.real(0, 1);
    if (!r.is_null(0, 2)) h.reset_time = r.real(0, 2);
    if (!r.is_null(0, 3) && !r.text(0, 3).empty()) h.webtoken_seed = std::string(r.text(0, 3));
    if (!r.is_null(0, 4) && !r.text(0, 4).empty()) h.apitoken_seed = std::string(r.text(0, 4));
    h.clock = r.real(0, 5);
    h.exists = r.boolean(0, 6);
    return h;
}

Head read_head(pg::Connection& conn, const std::string& username) {
    return head_from(conn.exec(kHead, Params().add(username)));
}

// The steps of a PUT on the user's tables: the stored items of the request's keys are read
// in one query per table, the merge runs in memory, and what it wrote goes back in one
// statement per table.
class PgWriter : public ItemWriter {
  public:
    explicit PgWriter(const std::string& username) : username_(username) {}

    // The reads of the stored items of the request's keys, one query per table, as steps of
    // the batch that takes the user's lock; take() reads their answers.
    void add_reads(const Batches& batches, std::vector<pg::Connection::Step>& steps) {
        std::string keys[2] = {"{", "{"};
        for (const auto& [kind, array] : batches)
            for (const auto& v : array->GetArray())
                if (v.IsObject()) {
                    auto k = v.FindMember("key");
                    if (k != v.MemberEnd() && k->value.IsString())
                        array_add(keys[kind == Kind::records ? 0 : 1],
                                  key_hex(std::string_view(k->value.GetString(),
                                                           k->value.GetStringLength())));
                }
        for (int t = 0; t < 2; ++t) {
            if (keys[t].size() == 1) continue;
            keys[t] += '}';
            read_at_[t] = static_cast<int>(steps.size());
            steps.push_back(
                {t == 0 ? &kGetRecords : &kGetSettings, Params().add(username_).add(keys[t])});
        }
    }

    void take(const std::vector<Result>& results) {
        for (int t = 0; t < 2; ++t) {
            if (read_at_[t] < 0) continue;
            const Result& r = results[static_cast<size_t>(read_at_[t])];
            for (int i = 0; i < r.rows(); ++i) {
                Entry e;
                e.item.ob = std::string(r.text(i, 1));
                e.item.st = r.is_null(i, 2) ? -INFINITY : r.real(i, 2);
                if (auto d = ob_json(e.item.ob)) {
                    auto mt = d->FindMember("mt");
                    if (mt != d->MemberEnd() && mt->value.IsInt64())
                        e.item.mt = mt->value.GetInt64();
                    else if (mt != d->MemberEnd() && mt->value.IsNumber())
                        e.item.mt = mt->value.GetDouble();
                }
                if (t == 0) {
                    if (!r.is_null(i, 3)) e.t1 = r.int64(i, 3);
                    if (!r.is_null(i, 4)) e.t2 = r.int64(i, 4);
                }
                stored_[t].emplace(key_from_hex(r.text(i, 0)), std::move(e));
            }
        }
    }

    std::optional<StoredItem> get(Kind kind, std::string_view key) override {
        auto& m = stored_[kind == Kind::records ? 0 : 1];
        auto it = m.find(std::string(key));
        if (it == m.end()) return std::nullopt;
        return it->second.item;
    }

    void put(Kind kind, const ValidItem& item, const std::string& ob, double st) override {
        Entry& e = stored_[kind == Kind::records ? 0 : 1][item.key];
        e.item.ob = ob;
        e.item.st = st;
        e.item.mt = item.mt;
        e.t1 = item.t1;
        e.t2 = item.t2;
        e.dirty = true;
    }

    void restamp(Kind kind, std::string_view key, const std::string& ob, double st) override {
        Entry& e = stored_[kind == Kind::records ? 0 : 1][std::string(key)];
        e.item.ob = ob;
        e.item.st = st;
        e.dirty = true;
    }

    // The writes of every changed item and of the per-user row, as steps of a batch.
    void add_writes(std::vector<pg::Connection::Step>& steps) {
        std::optional<double> max_st[2];
        for (int t = 0; t < 2; ++t) {
            std::string keys = "{", sts = "{", t1s = "{", t2s = "{", obs = "{";
            int n = 0;
            for (const auto& [key, e] : stored_[t]) {
                if (!e.dirty) continue;
                ++n;
                array_add(keys, key_hex(key));
                array_add(sts, number_text(e.item.st));
                array_add(obs, e.item.ob);
                if (t == 0) {
                    array_add(t1s, e.t1 ? std::optional<std::string>(std::to_string(*e.t1))
                                        : std::nullopt);
                    array_add(t2s, e.t2 ? std::optional<std::string>(std::to_string(*e.t2))
                                        : std::nullopt);
                }
                max_st[t] = std::max(max_st[t].value_or(-INFINITY), e.item.st);
            }
            if (n == 0) continue;
            for (auto* s : {&keys, &sts, &t1s, &t2s, &obs}) *s += '}';
            if (t == 0)
                steps.push_back(
                    {&kPutRecords,
                     Params().add(username_).add(keys).add(sts).add(t1s).add(t2s).add(obs)});
            else
                steps.push_back(
                    {&kPutSettings, Params().add(username_).add(keys).add(sts).add(obs)});
        }
        if (!max_st[0] && !max_st[1]) return;
        Params p;
        p.add(username_);
        for (auto& m : max_st) m ? p.add(*m) : p.add_null();
        steps.push_back({&kHeadItems, std::move(p)});
    }

  private:
    struct Entry {
        StoredItem item;
        std::optional<int64_t> t1, t2;
        bool dirty = false;
    };
    const std::string& username_;
    int read_at_[2] = {-1, -1};  // the steps of add_reads, per table
    std::map<std::string, Entry> stored_[2];
};

class PgUserStore : public UserStore {
  public:
    PgUserStore(std::shared_ptr<PgDatabase::Session> s, std::string username)
        : s_(std::move(s)), username_(std::move(username)) {}

    std::vector<PutResult> put_batches(const Batches& batches) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        snap_.reset();
        // Two round trips: BEGIN, the lock, the time and the stored items of the request's
        // keys; then the writes and COMMIT.
        auto first = locked_head_steps();
        pg::Transaction txn(conn, first);
        PgWriter writer(username_);
        writer.add_reads(batches, first);
        const auto read = conn.batch(first);
        writer.take(read);
        const Head h = head_of(first, read);
        auto results = merge_batches(writer, batches, now_of(h), h.reset_time);
        std::vector<pg::Connection::Step> last;
        writer.add_writes(last);
        txn.commit(last);
        conn.batch(last);
        return results;
    }

    Updates get_updates(double since, bool reuse_snapshot) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        Updates up;
        // Hot path: one indexed lookup of the per-user row, no item read. When no st reaches
        // `since` and there was no reset since then, answer min(since, now), which can never
        // move a client past a write still committing (its st is at least its locked now).
        const bool fresh =
            snap_ && std::chrono::steady_clock::now() - snap_at_ < std::chrono::seconds(1);
        if (!reuse_snapshot || !fresh) take_snapshot(conn);
        const Head& h = *snap_;
        if (h.records_st < since && h.settings_st < since && since > h.reset_time) {
            up.server_time = std::min(since, clock_ ? clock_() : h.clock);
            return up;
        }
        snap_.reset();
        // Something to send: read it and `now` under the user's lock (writing nothing), so
        // no write is half done while we look.
        auto first = locked_head_steps();
        pg::Transaction txn(conn, first);
        const Head locked = head_of(first, conn.batch(first));
        up.server_time = now_of(locked);
        up.reset = since <= locked.reset_time;
        std::string records = "[", settings = "[";
        const auto add = [&](const Result& r) {
            append_item(r.text(0, 0) == "0" ? records : settings, r.text(0, 1));
        };
        if (up.reset)
            conn.each_row(kUpdatesAll, Params().add(username_), add);
        else
            conn.each_row(kUpdatesSince, Params().add(username_).add(since), add);
        records += ']';
        settings += ']';
        up.records_json = std::move(records);
        up.settings_json = std::move(settings);
        txn.commit();
        return up;
    }

    std::string get_records_json(const RecordFilter& filter) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        std::vector<std::string_view> tags;
        for (const auto& t : filter.tags)
            if (!t.empty() && t != "#") tags.emplace_back(t);
        const bool need_ds = filter.hidden.has_value() || !tags.empty();
        std::string out = "[";
        const Params range = Params()
                                 .add(username_)
                                 .add(truncate_clamped(filter.t_from))
                                 .add(truncate_clamped(filter.t_to));
        conn.each_row(kRecordsRange, range, [&](const Result& r) {
            const int i = 0;
            if (filter.running && (r.text(i, 1) == r.text(i, 2)) != *filter.running) return;
            const std::string_view ob = r.text(i, 0);
            if (need_ds) {
                std::optional<std::string> ds;
                if (auto d = ob_json(ob)) {
                    auto m = d->FindMember("ds");
                    // Up to a NUL, as the data folder's engine reads ds (SQLite's json_extract)
                    if (m != d->MemberEnd() && m->value.IsString())
                        ds = std::string(m->value.GetString());
                }
                if (filter.hidden && ds_is_hidden(ds.value_or("")) != *filter.hidden) return;
                for (auto t : tags)
                    if (!ds || !ds_has_tag(*ds, t)) return;
            }
            append_item(out, ob);
        });
        out += ']';
        return out;
    }

    std::string get_settings_json() override {
        std::lock_guard lock(s_->mutex);
        std::string out = "[";
        s_->ready().each_row(kSettingsAll, Params().add(username_),
                             [&](const Result& r) { append_item(out, r.text(0, 0)); });
        out += ']';
        return out;
    }

    void force_reset() override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        snap_.reset();
        auto first = locked_head_steps();
        pg::Transaction txn(conn, first);
        const double now = now_of(head_of(first, conn.batch(first)));
        std::vector<pg::Connection::Step> last;
        last.push_back(userinfo_step("reset_time", now, py_float_repr(now)));
        last.push_back({&kHeadReset, Params().add(username_).add(now)});
        txn.commit(last);
        conn.batch(last);
    }

    double reset_time() override {
        std::lock_guard lock(s_->mutex);
        return read_reset_time(s_->ready());
    }

    std::string get_seed(const std::string& kind,
                         const std::function<std::string()>& make_seed) override {
        check_seed_kind(kind);
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        // The token check of every request: the seed comes with the poll's figures, so the
        // poll that follows (reuse_snapshot) asks nothing more; and when probe() read them
        // for this request a moment ago, the check asks nothing either.
        if (!probed_) take_snapshot(conn);
        probed_ = false;
        if (auto seed = seed_of(*snap_, kind)) return *seed;
        snap_.reset();
        pg::Transaction txn(conn);
        s_->lock_user(username_);
        // Another host may have made it meanwhile: keep theirs, or we would revoke the token
        // it just handed out.
        const Head locked = read_head(conn, username_);
        if (auto seed = seed_of(locked, kind)) {
            txn.commit();
            return *seed;
        }
        std::string seed = new_seed(conn, now_of(locked), kind, make_seed);
        txn.commit();
        return seed;
    }

    std::string reset_seed(const std::string& kind,
                           const std::function<std::string()>& make_seed) override {
        check_seed_kind(kind);
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        snap_.reset();
        pg::Transaction txn(conn);
        s_->lock_user(username_);
        std::string seed = new_seed(conn, now_of(read_head(conn, username_)), kind, make_seed);
        txn.commit();
        return seed;
    }

    std::vector<InfoItem> get_info_items(std::string_view prefix) override {
        check_info_key(prefix);
        std::lock_guard lock(s_->mutex);
        Result r = s_->ready().exec(kInfoList, Params().add(username_).add(key_hex(prefix)));
        std::vector<InfoItem> items;
        for (int i = 0; i < r.rows(); ++i)
            if (auto v = info_value(r.text(i, 1)))
                items.push_back(InfoItem{key_from_hex(r.text(i, 0)), *v});
        return items;
    }

    std::optional<std::string> get_info_item(std::string_view key) override {
        check_info_key(key);
        std::lock_guard lock(s_->mutex);
        Result r = s_->ready().exec(kInfoGet, Params().add(username_).add(key_hex(key)));
        if (r.rows() == 0) return std::nullopt;
        return info_value(r.text(0, 0));
    }

    void put_info_item(std::string_view key, std::string_view value_json) override {
        check_info_key(key);
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        pg::Transaction txn(conn);
        s_->lock_user(username_);
        put_userinfo(conn, key, now_of(read_head(conn, username_)), value_json);
        txn.commit();
    }

    bool delete_info_item(std::string_view key) override {
        check_info_key(key);
        std::lock_guard lock(s_->mutex);
        return s_->ready().exec(kInfoDelete, Params().add(username_).add(key_hex(key))).affected() >
               0;
    }

    const std::string& path() const override { return username_; }

    void set_clock(std::function<double()> clock) override {
        std::lock_guard lock(s_->mutex);
        clock_ = std::move(clock);
    }

    void set_busy_timeout(int milliseconds) override {
        std::lock_guard lock(s_->mutex);
        s_->ready().exec(
            ("SET lock_timeout = " + std::to_string(std::max(1, milliseconds))).c_str());
    }

  private:
  public:
    // PgDatabase::user_store(create = false): whether the user has data, read with what the
    // token check needs next (get_seed uses it once).
    bool probe() {
        std::lock_guard lock(s_->mutex);
        take_snapshot(s_->ready());
        probed_ = true;
        return snap_->exists;
    }

  private:
    void take_snapshot(pg::Connection& conn) {
        snap_ = read_head(conn, username_);
        snap_at_ = std::chrono::steady_clock::now();
    }

    static std::optional<std::string> seed_of(const Head& h, const std::string& kind) {
        return kind == "webtoken_seed" ? h.webtoken_seed : h.apitoken_seed;
    }

    // The user's lock and, read after it, the per-user row with the time (BEGIN goes in
    // front: pg::Transaction); head_of() finds that row among the batch's answers.
    std::vector<pg::Connection::Step> locked_head_steps() const {
        std::vector<pg::Connection::Step> steps;
        steps.push_back({&kLock, Params().add(kLockUser).add(lock_key(username_))});
        steps.push_back({&kHead, Params().add(username_)});
        return steps;
    }
    static Head head_of(const std::vector<pg::Connection::Step>& steps,
                        const std::vector<Result>& answers) {
        for (size_t i = 0; i < steps.size(); ++i)
            if (steps[i].query == &kHead) return head_from(answers[i]);
        throw std::logic_error("pg_store: a batch without the per-user row");
    }

    pg::Connection::Step userinfo_step(std::string_view key, double st,
                                       std::string_view value_json) const {
        return {&kPutUserinfo, Params()
                                   .add(username_)
                                   .add(key_hex(key))
                                   .add(st)
                                   .add(userinfo_ob(key, st, value_json))};
    }

    // `now` from a head read under the user's lock: the database's clock (or the tests').
    double now_of(const Head& h) const { return clock_ ? clock_() : h.clock; }

    double read_reset_time(pg::Connection& conn) { return read_head(conn, username_).reset_time; }

    void put_userinfo(pg::Connection& conn, std::string_view key, double st,
                      std::string_view value_json) {
        conn.exec(kPutUserinfo, Params()
                                    .add(username_)
                                    .add(key_hex(key))
                                    .add(st)
                                    .add(userinfo_ob(key, st, value_json)));
    }

    std::string new_seed(pg::Connection& conn, double now, const std::string& kind,
                         const std::function<std::string()>& make_seed) {
        std::string seed = make_seed();
        std::string value;
        py_json_string(seed, value);
        put_userinfo(conn, kind, now, value);
        conn.exec(kind == "webtoken_seed" ? kHeadWebSeed : kHeadApiSeed,
                  Params().add(username_).add(seed));
        return seed;
    }

    std::shared_ptr<PgDatabase::Session> s_;
    std::string username_;
    std::function<double()> clock_;  // tests only; empty: the database's clock
    std::optional<Head> snap_;
    std::chrono::steady_clock::time_point snap_at_;
    bool probed_ = false;
};

std::optional<std::string> info_value(std::string_view ob) {
    auto d = ob_json(ob);
    if (!d) return std::nullopt;
    auto v = d->FindMember("value");
    if (v == d->MemberEnd()) return std::nullopt;
    if (v->value.IsString()) return std::string(v->value.GetString(), v->value.GetStringLength());
    if (!v->value.IsObject() && !v->value.IsArray()) return std::nullopt;
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v->value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// ---- the teams, in tagwatch.teams, team_people and team_tags

const Query kTeamExists{"tw_team_exists", "SELECT 1 FROM tagwatch.teams WHERE name = $1"};
const Query kTeamLock{"tw_team_lock", "SELECT 1 FROM tagwatch.teams WHERE name = $1 FOR UPDATE"};
const Query kTeamPeople{
    "tw_team_people",
    "SELECT role, username FROM tagwatch.team_people WHERE team = $1 ORDER BY username"};
const Query kTeamTags{"tw_team_tags",
                      "SELECT tag FROM tagwatch.team_tags WHERE team = $1 ORDER BY tag"};
const Query kTeamNames{"tw_team_names", "SELECT name FROM tagwatch.teams ORDER BY name"};
const Query kTeamsOf{
    "tw_teams_of",
    "SELECT DISTINCT team FROM tagwatch.team_people WHERE username = $1 ORDER BY team"};
const Query kTeamAdd{"tw_team_add",
                     "INSERT INTO tagwatch.teams (name) VALUES ($1) ON CONFLICT DO NOTHING"};
const Query kTeamRemove{"tw_team_remove", "DELETE FROM tagwatch.teams WHERE name = $1"};
const Query kTeamClearPeople{"tw_team_clear_people",
                             "DELETE FROM tagwatch.team_people WHERE team = $1"};
const Query kTeamClearTags{"tw_team_clear_tags", "DELETE FROM tagwatch.team_tags WHERE team = $1"};
const Query kTeamAddPerson{
    "tw_team_add_person",
    "INSERT INTO tagwatch.team_people (team, username, role) VALUES ($1, $2, $3)"};
const Query kTeamAddTag{"tw_team_add_tag",
                        "INSERT INTO tagwatch.team_tags (team, tag) VALUES ($1, $2)"};

class PgTeams : public TeamStore {
  public:
    explicit PgTeams(std::shared_ptr<PgDatabase::Session> s) : s_(std::move(s)) {}

    std::vector<Team> list() override {
        std::lock_guard lock(s_->mutex);
        return read_teams(s_->ready(), kTeamNames, std::nullopt);
    }

    std::optional<Team> get(const std::string& name) override {
        std::lock_guard lock(s_->mutex);
        return read_team(s_->ready(), name);
    }

    std::vector<Team> teams_of(const std::string& username) override {
        std::lock_guard lock(s_->mutex);
        return read_teams(s_->ready(), kTeamsOf, username);
    }

    bool add(const Team& team) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        pg::Transaction txn(conn);
        if (conn.exec(kTeamAdd, Params().add(team.name)).affected() == 0) return false;
        write_members(conn, team);
        txn.commit();
        return true;
    }

    bool change(const std::string& name, const std::function<void(Team&)>& change) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        pg::Transaction txn(conn);
        // The team's row locked first: two changes at once run one after the other.
        if (conn.exec(kTeamLock, Params().add(name)).rows() == 0) return false;
        auto team = read_team(conn, name);
        change(*team);
        team->name = name;
        write_members(conn, *team);
        txn.commit();
        return true;
    }

    bool remove(const std::string& name) override {
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        pg::Transaction txn(conn);
        const bool removed = conn.exec(kTeamRemove, Params().add(name)).affected() > 0;
        conn.exec(kTeamClearPeople, Params().add(name));
        conn.exec(kTeamClearTags, Params().add(name));
        txn.commit();
        return removed;
    }

  private:
    static std::optional<Team> read_team(pg::Connection& conn, const std::string& name) {
        if (conn.exec(kTeamExists, Params().add(name)).rows() == 0) return std::nullopt;
        Team team;
        team.name = name;
        Result people = conn.exec(kTeamPeople, Params().add(name));
        for (int i = 0; i < people.rows(); ++i)
            (people.text(i, 0) == "manager" ? team.managers : team.members)
                .emplace_back(people.text(i, 1));
        Result tags = conn.exec(kTeamTags, Params().add(name));
        for (int i = 0; i < tags.rows(); ++i) team.tags.emplace_back(tags.text(i, 0));
        normalize_team(team);
        return team;
    }

    static std::vector<Team> read_teams(pg::Connection& conn, const Query& names,
                                        const std::optional<std::string>& param) {
        Result r = param ? conn.exec(names, Params().add(*param)) : conn.exec(names);
        std::vector<Team> teams;
        for (int i = 0; i < r.rows(); ++i)
            if (auto t = read_team(conn, std::string(r.text(i, 0)))) teams.push_back(std::move(*t));
        return teams;
    }

    // The people and tags of `team` (its row exists), replacing what was stored.
    static void write_members(pg::Connection& conn, Team team) {
        normalize_team(team);
        conn.exec(kTeamClearPeople, Params().add(team.name));
        conn.exec(kTeamClearTags, Params().add(team.name));
        for (const auto& [role, list] :
             {std::pair<const char*, const std::vector<std::string>*>{"manager", &team.managers},
              {"member", &team.members}})
            for (const auto& u : *list)
                conn.exec(kTeamAddPerson, Params().add(team.name).add(u).add(role));
        for (const auto& t : team.tags) conn.exec(kTeamAddTag, Params().add(team.name).add(t));
    }

    std::shared_ptr<PgDatabase::Session> s_;
};

// ---- the login throttle, on the table login_failures

class PgThrottle : public LoginThrottle {
  public:
    PgThrottle(std::shared_ptr<PgDatabase::Session> s, ThrottleLimits limits)
        : s_(std::move(s)), limits_(limits) {
        check_throttle_limits(limits_);
    }

    LoginAttempt admit(std::string_view username, std::string_view address) override {
        const std::string user = throttle_user_subject(username);
        const std::string addr = throttle_address_subject(address);
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        // The subjects' locks (always the user's first, so two attempts never wait for each
        // other in a circle), then the look and the count: another host's attempt waits for
        // this one to commit, so it sees this attempt counted.
        pg::Transaction txn(conn);
        conn.exec(kLock, Params().add(kLockThrottle).add(lock_key(user)));
        if (!addr.empty()) conn.exec(kLock, Params().add(kLockThrottle).add(lock_key(addr)));
        const double now = clock_ ? clock_() : conn.exec(kClock).real(0, 0);
        const double since = now - limits_.window_seconds;
        LoginAttempt attempt;
        attempt.retry_after =
            throttle_wait(limits_, user, addr, now, [&](const std::string& s, int limit, double t) {
                return blocking_failure(conn, s, limit, t);
            });
        if (attempt.retry_after > 0) {
            txn.commit();
            return attempt;
        }
        conn.exec(kFailureAdd, Params().add(user).add(now));
        if (!addr.empty()) conn.exec(kFailureAdd, Params().add(addr).add(now));
        // Old failures count for nothing: drop the ones of these subjects.
        conn.exec(kFailurePrune, Params().add(user).add(addr).add(since));
        txn.commit();
        attempt.at = now;
        return attempt;
    }

    void settle(std::string_view username, std::string_view address, double at,
                bool success) override {
        if (!success) return;  // the attempt stays counted as a failure
        const std::string user = throttle_user_subject(username);
        const std::string addr = throttle_address_subject(address);
        std::lock_guard lock(s_->mutex);
        auto& conn = s_->ready();
        pg::Transaction txn(conn);
        conn.exec(kFailureClear, Params().add(user));
        if (!addr.empty()) conn.exec(kFailureOne, Params().add(addr).add(at));
        txn.commit();
    }

    void clear_user(std::string_view username) override {
        const std::string user = throttle_user_subject(username);
        std::lock_guard lock(s_->mutex);
        s_->ready().exec(kFailureClear, Params().add(user));
    }

    const ThrottleLimits& limits() const override { return limits_; }

    void set_clock(std::function<double()> clock) override {
        std::lock_guard lock(s_->mutex);
        clock_ = std::move(clock);
    }

  private:
    // The newest-but-(limit-1) failure in the window, whose expiry lets a login through
    // again; nothing when fewer than `limit` failures are in the window.
    static std::optional<double> blocking_failure(pg::Connection& conn, const std::string& subject,
                                                  int limit, double since) {
        Result r = conn.exec(kFailureBlocking, Params().add(subject).add(since).add(limit - 1));
        if (r.rows() == 0) return std::nullopt;
        return r.real(0, 0);
    }

    std::shared_ptr<PgDatabase::Session> s_;
    ThrottleLimits limits_;
    std::function<double()> clock_;
};

}  // namespace

// ---- the database

PgDatabase::PgDatabase(std::string conninfo) : conninfo_(std::move(conninfo)) {
    pg::check_conninfo(conninfo_);
    session_ = std::make_shared<Session>(conninfo_);
}

// The cached stores hold the session: dropped here, or session and stores would keep each
// other alive (and the connection open) after the database is gone.
PgDatabase::~PgDatabase() {
    std::lock_guard lock(session_->cache_mutex);
    session_->cache.clear();
}

std::shared_ptr<UserStore> PgDatabase::user_store(const std::string& username, bool create) {
    std::shared_ptr<PgUserStore> store;
    {
        std::lock_guard lock(session_->cache_mutex);
        auto& cache = session_->cache;
        const auto it = std::find_if(cache.begin(), cache.end(),
                                     [&](const auto& e) { return e.first == username; });
        if (it != cache.end()) {
            store = std::static_pointer_cast<PgUserStore>(it->second);
            cache.erase(it);
        }
        if (!store) store = std::make_shared<PgUserStore>(session_, username);
        if (cache.size() >= 16) cache.erase(cache.begin());
        cache.emplace_back(username, store);
    }
    if (!create && !store->probe()) return nullptr;
    return store;
}

bool PgDatabase::user_exists(const std::string& username) {
    std::lock_guard lock(session_->mutex);
    return session_->ready().exec(kUserExists, Params().add(username)).rows() > 0;
}

std::shared_ptr<LoginThrottle> PgDatabase::login_throttle(const ThrottleLimits& limits) {
    return std::make_shared<PgThrottle>(session_, limits);
}

std::shared_ptr<TeamStore> PgDatabase::teams() { return std::make_shared<PgTeams>(session_); }

void PgDatabase::close() {
    std::lock_guard lock(session_->mutex);
    session_->conn.close();
}

void PgDatabase::startup_check() {
    std::lock_guard lock(session_->mutex);
    try {
        session_->ready();
    } catch (const HttpError&) {
        throw std::runtime_error("database: cannot connect to " + pg::redact(conninfo_) + ": " +
                                 session_->conn.last_error());
    } catch (const std::exception& e) {
        throw std::runtime_error("database " + pg::redact(conninfo_) + ": " + e.what());
    }
}

void PgDatabase::all_or_nothing(const std::function<void()>& work) {
    {
        std::lock_guard lock(session_->mutex);
        session_->ready().exec("BEGIN");
    }
    try {
        work();
    } catch (...) {
        std::lock_guard lock(session_->mutex);
        if (session_->conn.in_transaction()) {
            try {
                session_->conn.exec("ROLLBACK");
            } catch (...) {
                // the session is gone, and its transaction with it
            }
        }
        throw;
    }
    std::lock_guard lock(session_->mutex);
    session_->conn.exec("COMMIT");
}

int PgDatabase::schema_version() {
    std::lock_guard lock(session_->mutex);
    session_->conn.ensure();
    return session_->version();
}

std::optional<std::string> PgDatabase::shared_jwt_key(const std::function<std::string()>& make) {
    if (auto key = stored_jwt_key()) return *key;
    std::lock_guard lock(session_->mutex);
    static const Query put{"tw_jwt_put",
                           "INSERT INTO tagwatch.shared (name, value) VALUES ('jwt_key', $1)"
                           " ON CONFLICT (name) DO NOTHING"};
    session_->ready().exec(put, Params().add(make()));
    Result r = session_->conn.exec(kJwtGet);
    if (r.rows() == 0) throw std::runtime_error("postgres: the JWT key vanished as it was made");
    return std::string(r.text(0, 0));
}

std::optional<std::string> PgDatabase::stored_jwt_key() {
    std::lock_guard lock(session_->mutex);
    Result r = session_->ready().exec(kJwtGet);
    if (r.rows() == 0 || r.text(0, 0).empty()) return std::nullopt;
    return std::string(r.text(0, 0));
}

void PgDatabase::set_jwt_key(const std::string& key) {
    std::lock_guard lock(session_->mutex);
    static const Query set{"tw_jwt_set",
                           "INSERT INTO tagwatch.shared (name, value) VALUES ('jwt_key', $1)"
                           " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"};
    session_->ready().exec(set, Params().add(key));
}

std::optional<std::map<std::string, std::string>> PgDatabase::shared_credentials() {
    std::lock_guard lock(session_->mutex);
    Result r = session_->ready().exec("SELECT username, hash FROM tagwatch.credentials");
    std::map<std::string, std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace(r.text(i, 0), r.text(i, 1));
    return out;
}

void PgDatabase::set_credentials(const std::map<std::string, std::string>& credentials) {
    std::lock_guard lock(session_->mutex);
    auto& conn = session_->ready();
    pg::Transaction txn(conn);
    conn.exec("LOCK TABLE tagwatch.credentials IN EXCLUSIVE MODE");
    conn.exec("DELETE FROM tagwatch.credentials");
    static const Query add{"tw_cred_add",
                           "INSERT INTO tagwatch.credentials (username, hash) VALUES ($1, $2)"};
    for (const auto& [user, hash] : credentials) conn.exec(add, Params().add(user).add(hash));
    txn.commit();
}

bool PgDatabase::add_credential(const std::string& username, const std::string& hash) {
    std::lock_guard lock(session_->mutex);
    static const Query q{
        "tw_cred_new",
        "INSERT INTO tagwatch.credentials (username, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING"};
    return session_->ready().exec(q, Params().add(username).add(hash)).affected() == 1;
}

bool PgDatabase::change_credential(const std::string& username, const std::string& hash) {
    std::lock_guard lock(session_->mutex);
    static const Query q{"tw_cred_change",
                         "UPDATE tagwatch.credentials SET hash = $2 WHERE username = $1"};
    return session_->ready().exec(q, Params().add(username).add(hash)).affected() == 1;
}

bool PgDatabase::remove_credential(const std::string& username) {
    std::lock_guard lock(session_->mutex);
    static const Query q{"tw_cred_remove", "DELETE FROM tagwatch.credentials WHERE username = $1"};
    return session_->ready().exec(q, Params().add(username)).affected() == 1;
}

std::vector<PgDatabase::UserStats> PgDatabase::stats() {
    std::lock_guard lock(session_->mutex);
    // Hidden: a ds starting with HIDDEN (ASCII case-insensitive), looked up in the JSON text
    // as both TimeTagger and tagwatch write it, so that no _ob needs to parse.
    Result r = session_->ready().exec(
        "SELECT u.username,"
        " (SELECT count(*) FROM tagwatch.records r WHERE r.username = u.username),"
        " (SELECT count(*) FROM tagwatch.records r WHERE r.username = u.username AND t1 = t2),"
        " (SELECT count(*) FROM tagwatch.records r WHERE r.username = u.username"
        "  AND _ob ~* '\"ds\": *\"hidden'),"
        " (SELECT count(*) FROM tagwatch.settings s WHERE s.username = u.username),"
        " (SELECT coalesce(sum(octet_length(_ob)), 0) FROM tagwatch.records r WHERE r.username = "
        "u.username)"
        " + (SELECT coalesce(sum(octet_length(_ob)), 0) FROM tagwatch.settings s WHERE s.username "
        "= u.username)"
        " + (SELECT coalesce(sum(octet_length(_ob)), 0) FROM tagwatch.userinfo i WHERE i.username "
        "= u.username),"
        " coalesce(greatest(u.records_st, u.settings_st), 0)"
        " FROM tagwatch.users u ORDER BY u.username");
    std::vector<UserStats> out;
    for (int i = 0; i < r.rows(); ++i) {
        UserStats s;
        s.user = std::string(r.text(i, 0));
        s.records = r.int64(i, 1);
        s.running = r.int64(i, 2);
        s.hidden = r.int64(i, 3);
        s.settings = r.int64(i, 4);
        s.bytes = r.int64(i, 5);
        s.last = r.real(i, 6);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> PgDatabase::check() {
    std::lock_guard lock(session_->mutex);
    auto& conn = session_->ready();
    std::vector<std::string> problems;
    // Every table and index of the schema is there.
    Result missing = conn.exec(
        "SELECT n FROM unnest(ARRAY['tagwatch.users', 'tagwatch.records', 'tagwatch.settings',"
        " 'tagwatch.userinfo', 'tagwatch.shared', 'tagwatch.credentials', "
        "'tagwatch.login_failures',"
        " 'tagwatch.records_st', 'tagwatch.records_t2', 'tagwatch.records_running', "
        "'tagwatch.settings_st',"
        " 'tagwatch.login_failures_subject', 'tagwatch.login_failures_at']) n WHERE to_regclass(n) "
        "IS NULL");
    for (int i = 0; i < missing.rows(); ++i)
        problems.push_back(std::string(missing.text(i, 0)) + " is missing");
    if (missing.rows() > 0) return problems;
    // The per-user row repeats what the items say: the poll and the token check trust it.
    Result head = conn.exec(
        "SELECT username FROM ("
        " SELECT coalesce(u.username, r.username, s.username) AS username,"
        "  u.username IS NULL AS no_row, u.records_st, r.m AS r_m, u.settings_st, s.m AS s_m"
        " FROM tagwatch.users u"
        " FULL JOIN (SELECT username, max(st) AS m FROM tagwatch.records GROUP BY username) r "
        "USING (username)"
        " FULL JOIN (SELECT username, max(st) AS m FROM tagwatch.settings GROUP BY username) s "
        "USING (username)"
        ") x WHERE no_row OR records_st IS DISTINCT FROM r_m OR settings_st IS DISTINCT FROM s_m "
        "ORDER BY 1");
    for (int i = 0; i < head.rows(); ++i)
        problems.push_back(
            "the per-user row of '" + std::string(head.text(i, 0)) +
            "' does not match its items (tagwatch-admin migrate, both ways, makes it anew)");
    Result seeds = conn.exec(
        "SELECT u.username FROM tagwatch.users u WHERE"
        " u.webtoken_seed IS DISTINCT FROM (SELECT substring(_ob FROM '\"value\": \"([^\"]*)\"') "
        "FROM tagwatch.userinfo i"
        "  WHERE i.username = u.username AND i.key = 'webtoken_seed'::bytea)"
        " OR u.apitoken_seed IS DISTINCT FROM (SELECT substring(_ob FROM '\"value\": "
        "\"([^\"]*)\"') FROM"
        "  tagwatch.userinfo i WHERE i.username = u.username AND i.key = 'apitoken_seed'::bytea) "
        "ORDER BY 1");
    for (int i = 0; i < seeds.rows(); ++i)
        problems.push_back("the token seeds of '" + std::string(seeds.text(i, 0)) +
                           "' in its per-user row differ from its userinfo items");
    Result key = conn.exec(kJwtGet);
    if (key.rows() == 0)
        problems.push_back("there is no JWT key yet (the server makes one at its start)");
    else if (key.text(0, 0).size() < 32)
        problems.push_back("the JWT key holds only " + std::to_string(key.text(0, 0).size()) +
                           " characters: too weak");
    return problems;
}

std::vector<std::string> PgDatabase::users() {
    std::lock_guard lock(session_->mutex);
    Result r = session_->ready().exec("SELECT username FROM tagwatch.users ORDER BY username");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0));
    return out;
}

void PgDatabase::delete_user(const std::string& username) {
    std::lock_guard lock(session_->mutex);
    auto& conn = session_->ready();
    pg::Transaction txn(conn);
    session_->lock_user(username);
    for (const Query& q : kDeleteUser) conn.exec(q, Params().add(username));
    txn.commit();
}

RawUser PgDatabase::read_raw(const std::string& username) {
    std::lock_guard lock(session_->mutex);
    auto& conn = session_->ready();
    RawUser out;
    // One snapshot for the three tables.
    conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
        static const Query rec{
            "tw_raw_records",
            "SELECT key, _ob, st, t1, t2 FROM tagwatch.records WHERE username = $1 ORDER BY key"};
        static const Query set{
            "tw_raw_settings",
            "SELECT key, _ob, st FROM tagwatch.settings WHERE username = $1 ORDER BY key"};
        static const Query info{
            "tw_raw_userinfo",
            "SELECT key, _ob, st FROM tagwatch.userinfo WHERE username = $1 ORDER BY key"};
        for (auto [q, list] :
             {std::pair{&rec, &out.records}, {&set, &out.settings}, {&info, &out.userinfo}}) {
            Result r = conn.exec(*q, Params().add(username));
            for (int i = 0; i < r.rows(); ++i) {
                RawItem item;
                item.key = key_from_hex(r.text(i, 0));
                item.ob = std::string(r.text(i, 1));
                if (!r.is_null(i, 2)) item.st = r.real(i, 2);
                if (q == &rec) {
                    if (!r.is_null(i, 3)) item.t1 = r.int64(i, 3);
                    if (!r.is_null(i, 4)) item.t2 = r.int64(i, 4);
                }
                list->push_back(std::move(item));
            }
        }
        conn.exec("COMMIT");
    } catch (...) {
        if (conn.in_transaction()) conn.exec("ROLLBACK");
        throw;
    }
    return out;
}

void PgDatabase::write_raw(const std::string& username, const RawUser& data) {
    std::lock_guard lock(session_->mutex);
    auto& conn = session_->ready();
    pg::Transaction txn(conn);
    session_->lock_user(username);
    for (const Query& q : kDeleteUser) conn.exec(q, Params().add(username));
    // Each table in one statement: arrays of the columns.
    auto opt_num = [](const std::optional<double>& v) {
        return v ? std::optional<std::string>(number_text(*v)) : std::nullopt;
    };
    auto opt_int = [](const std::optional<int64_t>& v) {
        return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    Head head;
    std::optional<double> reset;
    for (int t = 0; t < 3; ++t) {
        const auto& list = t == 0 ? data.records : t == 1 ? data.settings : data.userinfo;
        if (list.empty()) continue;
        std::string keys = "{", sts = "{", t1s = "{", t2s = "{", obs = "{";
        for (const auto& item : list) {
            array_add(keys, key_hex(item.key));
            array_add(sts, opt_num(item.st));
            array_add(obs, item.ob);
            if (t == 0) {
                array_add(t1s, opt_int(item.t1));
                array_add(t2s, opt_int(item.t2));
            }
            if (item.st && t < 2) {
                double& m = t == 0 ? head.records_st : head.settings_st;
                m = std::max(m, *item.st);
            }
        }
        for (auto* s : {&keys, &sts, &t1s, &t2s, &obs}) *s += '}';
        static const Query raw_records{
            "tw_raw_put_records",
            "INSERT INTO tagwatch.records (username, key, st, t1, t2, _ob)"
            " SELECT $1, * FROM unnest($2::bytea[], $3::float8[], $4::int8[],"
            " $5::int8[], $6::text[])"};
        static const Query raw_settings{
            "tw_raw_put_settings",
            "INSERT INTO tagwatch.settings (username, key, st, _ob)"
            " SELECT $1, * FROM unnest($2::bytea[], $3::float8[], $4::text[])"};
        static const Query raw_userinfo{
            "tw_raw_put_userinfo",
            "INSERT INTO tagwatch.userinfo (username, key, st, _ob)"
            " SELECT $1, * FROM unnest($2::bytea[], $3::float8[], $4::text[])"};
        if (t == 0)
            conn.exec(raw_records,
                      Params().add(username).add(keys).add(sts).add(t1s).add(t2s).add(obs));
        else
            conn.exec(t == 1 ? raw_settings : raw_userinfo,
                      Params().add(username).add(keys).add(sts).add(obs));
    }
    // The per-user row, from the userinfo items as the SQLite engine reads them.
    for (const auto& item : data.userinfo) {
        auto d = ob_json(item.ob);
        if (!d) continue;
        auto v = d->FindMember("value");
        if (v == d->MemberEnd()) continue;
        if (item.key == "reset_time" && v->value.IsNumber()) reset = v->value.GetDouble();
        if (item.key == "webtoken_seed" && v->value.IsString())
            head.webtoken_seed = v->value.GetString();
        if (item.key == "apitoken_seed" && v->value.IsString())
            head.apitoken_seed = v->value.GetString();
    }
    static const Query put_head{
        "tw_raw_put_head",
        "INSERT INTO tagwatch.users (username, records_st, settings_st, reset_time,"
        " webtoken_seed, apitoken_seed) VALUES ($1, $2, $3, $4, $5, $6)"};
    Params p;
    p.add(username);
    for (double v : {head.records_st, head.settings_st}) std::isinf(v) ? p.add_null() : p.add(v);
    reset ? p.add(*reset) : p.add_null();
    for (const auto& s : {head.webtoken_seed, head.apitoken_seed}) s ? p.add(*s) : p.add_null();
    conn.exec(put_head, p);
    txn.commit();
}

}  // namespace tagwatch
