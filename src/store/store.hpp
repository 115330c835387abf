// Where tagwatch keeps its data, engine-neutral: a user's store (records, settings and
// userinfo as TimeTagger's item store has them, docs/api.md "Storage"), the shared
// state of every process (the login throttle, store/throttle.hpp), and the Database that
// hands both out. The SQLite data folder (store/datafolder.hpp) is one implementation;
// a second engine implements the same three classes and is picked by open_database().
// The merge rule and st stamping of a PUT are written once here (merge_batches) and run
// inside each engine's own write transaction.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/item.hpp"

namespace tagwatch {

class LoginThrottle;
struct ThrottleLimits;

struct RecordFilter {
    double t_from = 0, t_to = 0;    // truncated toward zero, as TimeTagger's int()
    std::optional<bool> running;    // true: only t1 == t2; false: only t1 != t2
    std::optional<bool> hidden;     // true: only ds starting with HIDDEN; false: the others
    std::vector<std::string> tags;  // each as ds_has_tag; empty strings match everything
};

struct PutResult {
    std::vector<std::string> accepted, failed;
    std::vector<std::string> errors;  // one per failed key (same order), then one per key-less item
};

struct Updates {
    double server_time = 0;
    bool reset = false;
    std::string records_json = "[]";  // JSON arrays of the stored _ob texts as they are
    std::string settings_json = "[]";
};

using Batches = std::vector<std::pair<Kind, const rapidjson::Value*>>;

// One user's data. Thread-safe; several processes (and hosts, for a shared engine) may
// work on the same user at once: every write is one transaction under the user's write
// lock, and st strictly increases per user.
// Errors: HttpError 503 (with Retry-After) when the data cannot be reached in time (a lock
// held past the timeout, a full disk, an engine that is down); std::runtime_error for
// anything else, which answers a 500 and is logged.
class UserStore {
  public:
    virtual ~UserStore() = default;

    // PUT records / settings: `array` must be a JSON array (the caller checks).
    PutResult put_items(Kind kind, const rapidjson::Value& array);
    // Several lists in ONE transaction, all stored or none (tagwatch-admin import): each
    // list as put_items would store it, with one `now` for all. One PutResult per list.
    virtual std::vector<PutResult> put_batches(const Batches& batches) = 0;

    // GET updates?since=: `since` must be finite (the caller checks). The nothing-new
    // answer reads no item. With `reuse_snapshot` it may trust what this store read moments
    // ago for the same request (right after get_seed) instead of asking again: a
    // nothing-new answer never moves the client's `since` forward, so a write it misses
    // comes next poll.
    virtual Updates get_updates(double since, bool reuse_snapshot = false) = 0;

    // GET records: a JSON array of the matching records' _ob texts.
    virtual std::string get_records_json(const RecordFilter& filter) = 0;

    // GET settings: a JSON array of every setting's _ob text.
    virtual std::string get_settings_json() = 0;

    // PUT forcereset: the current time becomes the reset time.
    virtual void force_reset() = 0;

    // The last force-reset time, -1 when there was none (as TimeTagger).
    virtual double reset_time() = 0;

    // "webtoken_seed" or "apitoken_seed" (std::invalid_argument otherwise): the stored
    // seed, or a new one from make_seed when there is none yet (a seed another process
    // made meanwhile is kept: it may already sign a token).
    virtual std::string get_seed(const std::string& kind,
                                 const std::function<std::string()>& make_seed) = 0;
    // Replaces the seed with a new one from make_seed (revokes older tokens).
    virtual std::string reset_seed(const std::string& kind,
                                   const std::function<std::string()>& make_seed) = 0;

    // Items of ours in the user's userinfo table (share links, api/shares.hpp), under keys
    // that start with "tagwatch_": TimeTagger reads only webtoken_seed, apitoken_seed and
    // reset_time there and its clients never see the table, so a data folder still moves
    // both ways. Values are JSON texts (objects); a put is one write transaction.
    // std::invalid_argument for a key without that prefix.
    struct InfoItem {
        std::string key, value_json;
    };
    // Every such item whose key starts with `prefix`, in key order.
    virtual std::vector<InfoItem> get_info_items(std::string_view prefix) = 0;
    virtual std::optional<std::string> get_info_item(std::string_view key) = 0;
    virtual void put_info_item(std::string_view key, std::string_view value_json) = 0;
    // False when there was no such item.
    virtual bool delete_info_item(std::string_view key) = 0;

    // Where the data lives, for messages (a file's path).
    virtual const std::string& path() const = 0;

    // For tests: the clock (Unix seconds) used for st and reset times, and how long to
    // wait for another connection's lock (default 10 s).
    virtual void set_clock(std::function<double()> clock) = 0;
    virtual void set_busy_timeout(int milliseconds) = 0;
};

// A stored item as the merge rule needs it.
struct StoredItem {
    std::string ob;                                    // its _ob text
    double st = 0;                                     // -inf when the column is NULL
    std::variant<std::monostate, int64_t, double> mt;  // _ob's mt, when a number
};

// The steps of one write transaction of a PUT, which each engine implements on its own
// tables, inside its own transaction, under the user's write lock.
class ItemWriter {
  public:
    virtual ~ItemWriter() = default;
    virtual std::optional<StoredItem> get(Kind kind, std::string_view key) = 0;
    // Stores a new item (or replaces the stored one) with its _ob text and st.
    virtual void put(Kind kind, const ValidItem& item, const std::string& ob, double st) = 0;
    // Gives the stored item under `key` a new _ob text (re-stamped) and st.
    virtual void restamp(Kind kind, std::string_view key, const std::string& ob, double st) = 0;
};

// The merge rule of a PUT (docs/api.md, Objects, "Storing each item"), written once for
// every engine: validates each item, refuses one older than the reset time, keeps the
// stored item when its mt is newer (re-stamped so clients converge), and gives every write
// of a key an st above the stored one (strictly increasing; asserted). `now` and
// `reset_time` are read after the write lock was taken.
std::vector<PutResult> merge_batches(ItemWriter& writer, const Batches& batches, double now,
                                     double reset_time);

// Throws std::invalid_argument unless kind is "webtoken_seed" or "apitoken_seed".
void check_seed_kind(const std::string& kind);
// Throws std::invalid_argument unless key starts with "tagwatch_" (UserStore::InfoItem).
void check_info_key(std::string_view key);

// A team (tagwatch-admin teams): managers see the members' records, only those that carry
// one of its tags when it has any. Names of people are user names; tags are "#tag" in
// lower case. Lists are sorted and without repeats.
struct Team {
    std::string name;
    std::vector<std::string> managers, members, tags;
};

// The teams, kept in the shared state of every process (and host) beside the users' data,
// read anew on every call, so a change is in effect for the next request.
// Errors as UserStore's.
class TeamStore {
  public:
    virtual ~TeamStore() = default;
    // Every team, by name.
    virtual std::vector<Team> list() = 0;
    virtual std::optional<Team> get(const std::string& name) = 0;
    // The teams where the user is a manager or a member, by name.
    virtual std::vector<Team> teams_of(const std::string& username) = 0;
    // Adds a new team: false (nothing changed) when one of that name exists.
    virtual bool add(const Team& team) = 0;
    // Changes a team in one transaction: `change` gets the stored team and edits it.
    // False when there is no such team.
    virtual bool change(const std::string& name, const std::function<void(Team&)>& change) = 0;
    // False when there was no such team.
    virtual bool remove(const std::string& name) = 0;
};

// The team as stored: sorted lists without repeats.
void normalize_team(Team& team);

// What every engine writes and reads the same way:
// appends a stored _ob text to a JSON array under construction ("[" already written);
void append_item(std::string& out, std::string_view ob);
// a timerange bound as the integer t1 and t2 are compared with (truncated toward zero as
// TimeTagger's int(), clamped to 64 bits; NaN is 0);
int64_t truncate_clamped(double v);
// a userinfo item, shaped as TimeTagger's put_one(key=, st=, mt=, value=) writes it.
std::string userinfo_ob(std::string_view key, double st, std::string_view value_json);

// What open_database() needs to find the data.
struct StoreSettings {
    std::string datadir;               // the data folder (SQLite engine)
    std::string journal_mode = "wal";  // "wal" or "delete" (SQLite engine)
    std::string database = "";         // a PostgreSQL connection string: that engine instead
};

// One engine's data: every user's store and the shared state. One object per settings
// per process (open_database() keeps it); safe to use before the FastCGI supervisor
// forks: a child never uses its parent's connections.
class Database {
  public:
    virtual ~Database() = default;
    // The user's store, opened once per process and kept (a few of them). With create =
    // false a user without data is not made: the answer is nullptr. A store that met a
    // damaged file is dropped here and the file opened anew.
    virtual std::shared_ptr<UserStore> user_store(const std::string& username,
                                                  bool create = true) = 0;
    // True when the user has data (without creating anything).
    virtual bool user_exists(const std::string& username) = 0;
    // The login throttle on this database's shared state.
    virtual std::shared_ptr<LoginThrottle> login_throttle(const ThrottleLimits& limits) = 0;
    // The teams, in this database's shared state.
    virtual std::shared_ptr<TeamStore> teams() = 0;
    // The clean stop: checkpoints and closes every open connection of this process. The
    // Database stays usable; later calls open what they need again.
    virtual void close() = 0;

    // Start-up: makes sure the data can be reached (an engine on a server connects and makes
    // or upgrades its schema), so a wrong setting stops the program at once. Throws
    // std::runtime_error saying why.
    virtual void startup_check() {}

    // The shared state beside the users' data: the JWT key (`make` gives a new one when none
    // is stored; of several processes, one wins) and the credentials the administrator
    // keeps (user -> hash). An engine shared by several hosts keeps both itself, so every
    // host agrees; the data folder answers nullopt and its files beside users/ are used
    // (auth/keyfile.hpp, auth/credentials.hpp).
    virtual std::optional<std::string> shared_jwt_key(const std::function<std::string()>& make) {
        (void)make;
        return std::nullopt;
    }
    virtual std::optional<std::map<std::string, std::string>> shared_credentials() {
        return std::nullopt;
    }
};

// The Database for these settings: made on first use and kept for the process.
// Throws std::invalid_argument for a bad setting.
std::shared_ptr<Database> open_database(const StoreSettings& settings);

// The clean stop of a process (or a test that deletes files): close() on every Database
// this process opened.
void close_databases();

}  // namespace tagwatch
