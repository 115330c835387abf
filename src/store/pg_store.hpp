// The PostgreSQL engine: every user's data and the shared state of every host in one
// PostgreSQL database, so several tagwatch hosts behind one load balancer serve the same
// users (README.md, "More than one machine"). Chosen by the setting `database`; the SQLite
// data folder (store/datafolder.hpp) stays the default. Everything here talks to
// PostgreSQL through store/postgres.hpp.
//
// The schema lives in the PostgreSQL schema `tagwatch`, made and upgraded by the program
// itself (kMigrations in pg_store.cpp, one transaction, a version row). The user is the
// first column of every key and index, so the user tables can be sharded by user:
//   users    (username PK, records_st, settings_st, reset_time, webtoken_seed,
//             apitoken_seed): one row per user with what every request needs, read in one
//             indexed lookup: the hot poll and the token check read no item
//   records  (username, key PK, st, t1, t2, _ob), settings and userinfo (username, key PK,
//             st, _ob): TimeTagger's item tables, _ob kept byte for byte
//   shared (name PK, value): the JWT key; credentials (username PK, hash);
//   login_failures (subject, at): the login throttle
// A user's writes (and a poll that returns items) take the user's lock, a transaction-level
// advisory lock, before `now` is read; `now` is the database server's clock, the one clock
// every host agrees on, so st strictly increases per user whichever host writes.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/throttle.hpp"

namespace tagwatch {

// The schema version this program makes and understands.
constexpr int kPgSchemaVersion = 1;

// One stored item as it is, for moving data between engines byte for byte.
struct RawItem {
    std::string key, ob;
    std::optional<double> st;
    std::optional<int64_t> t1, t2;  // records only
};

// Everything of one user, for moving data between engines.
struct RawUser {
    std::vector<RawItem> records, settings, userinfo;
};

class PgDatabase : public Database {
  public:
    // Checks the connection string (std::invalid_argument with libpq's words) without
    // connecting; the connection is made on first use, in the process that uses it.
    explicit PgDatabase(std::string conninfo);
    ~PgDatabase() override;

    std::shared_ptr<UserStore> user_store(const std::string& username, bool create = true) override;
    bool user_exists(const std::string& username) override;
    std::shared_ptr<LoginThrottle> login_throttle(const ThrottleLimits& limits) override;
    std::shared_ptr<TeamStore> teams() override;
    void close() override;

    // Connects, and makes or upgrades the schema (in one transaction; several hosts starting
    // at once wait for each other). Throws std::runtime_error naming the setting (without
    // its password) with libpq's words when the server cannot be reached, and when the
    // database holds a newer schema than this program knows.
    void startup_check() override;

    // The JWT key in the table shared: the stored one, or `make()`'s when there is none yet
    // (one host wins). The credentials table (user -> hash), which tagwatch-admin edits.
    std::optional<std::string> shared_jwt_key(const std::function<std::string()>& make) override;
    std::optional<std::map<std::string, std::string>> shared_credentials() override;

    // For tagwatch-admin: the stored key (nullopt: none yet) and replacing it; replacing
    // every credential at once; one credential: add (false when the user has one already),
    // change or remove (false when the user has none).
    std::optional<std::string> stored_jwt_key();
    void set_jwt_key(const std::string& key);
    void set_credentials(const std::map<std::string, std::string>& credentials);
    bool add_credential(const std::string& username, const std::string& hash);
    bool change_credential(const std::string& username, const std::string& hash);
    bool remove_credential(const std::string& username);

    // tagwatch-admin stats: per user, what is stored.
    struct UserStats {
        std::string user;
        long long records = 0, running = 0, hidden = 0, settings = 0, bytes = 0;
        double last = 0;  // the largest st, 0 when none
    };
    std::vector<UserStats> stats();
    // tagwatch-admin check: what is wrong in the database, one sentence each (none: sound).
    std::vector<std::string> check();

    // Users with data, sorted.
    std::vector<std::string> users();
    // Removes the user's data (not their credentials).
    void delete_user(const std::string& username);

    // Every item of a user as stored, and the reverse: replaces the user's data with
    // `data` (the per-user row is made from it).
    RawUser read_raw(const std::string& username);
    void write_raw(const std::string& username, const RawUser& data);

    // Runs `work` (calls of this object) as one transaction: all of it is stored, or none.
    void all_or_nothing(const std::function<void()>& work);

    // The schema version found in the database (0: none).
    int schema_version();

    const std::string& conninfo() const { return conninfo_; }

    struct Session;

  private:
    std::string conninfo_;
    std::shared_ptr<Session> session_;
};

}  // namespace tagwatch
