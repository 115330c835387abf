// The SQLite engine: the data folder, as TimeTagger lays it out. One SQLite file per user
// in <datadir>/users/ (UserFile, with TimeTagger's item store schema), the login
// throttle's file <datadir>/throttle.db (ThrottleFile), and the DataFolder that opens and
// caches them per process. Everything here talks to SQLite through store/sqlite.hpp.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/throttle.hpp"
#include "util/clock.hpp"

namespace tagwatch {

// One user's SQLite file. A new file gets TimeTagger's exact schema (plus an index of
// ours for running records, which TimeTagger ignores); an existing one keeps its schema
// (missing tables and indexes are added as TimeTagger would). journal_mode: "wal" or
// "delete" (std::invalid_argument otherwise). Every write is one BEGIN IMMEDIATE
// transaction; synchronous=FULL, so an answered write survives a power cut.
class UserFile : public UserStore {
  public:
    UserFile(const std::string& path, const std::string& journal_mode);
    ~UserFile() override;

    std::vector<PutResult> put_batches(const Batches& batches) override;
    Updates get_updates(double since, bool reuse_snapshot = false) override;
    std::string get_records_json(const RecordFilter& filter) override;
    std::string get_settings_json() override;
    void force_reset() override;
    double reset_time() override;
    std::string get_seed(const std::string& kind,
                         const std::function<std::string()>& make_seed) override;
    std::string reset_seed(const std::string& kind,
                           const std::function<std::string()>& make_seed) override;
    std::vector<InfoItem> get_info_items(std::string_view prefix) override;
    std::optional<std::string> get_info_item(std::string_view key) override;
    void put_info_item(std::string_view key, std::string_view value_json) override;
    bool delete_info_item(std::string_view key) override;
    const std::string& path() const override { return path_; }
    void set_clock(std::function<double()> clock) override;
    void set_busy_timeout(int milliseconds) override;

    // True once the file turned out damaged or not a database (see sqlite::Connection).
    bool broken();
    // Checkpoints (TRUNCATE) and closes the connection; a later call opens it again.
    void close();

    struct Impl;

  private:
    std::string path_, journal_mode_;
    std::function<double()> clock_ = now_seconds;
    std::mutex mutex_;
    std::unique_ptr<Impl> impl_;
    Impl& open();  // the open connection (opened again after close())
};

// The login throttle's file: one table of recent failures. The connection is opened on
// first use and again after a fork (a connection must never cross a fork), so the
// throttle may be made before the FastCGI supervisor forks its workers. A damaged file is
// replaced by an empty one (it only holds the failures of the last few minutes).
class ThrottleFile : public LoginThrottle {
  public:
    ThrottleFile(std::string path, std::string journal_mode, ThrottleLimits limits = {});
    ~ThrottleFile() override;

    LoginAttempt admit(std::string_view username, std::string_view address) override;
    void settle(std::string_view username, std::string_view address, double at,
                bool success) override;
    void clear_user(std::string_view username) override;
    const ThrottleLimits& limits() const override { return limits_; }
    void set_clock(std::function<double()> clock) override;

    const std::string& path() const { return path_; }
    // Checkpoints and closes the connection (it is opened again when needed).
    void close();

    struct Impl;

  private:
    std::string path_, journal_mode_;
    ThrottleLimits limits_;
    std::unique_ptr<Impl> impl_;
};

// The teams' file <datadir>/teams.db (store.hpp, TeamStore): a team's name, its people
// with their role, its tags. Opened on first use and again after a fork, like the
// throttle's file; every call reads the file anew.
class TeamsFile : public TeamStore {
  public:
    TeamsFile(std::string path, std::string journal_mode);
    ~TeamsFile() override;

    std::vector<Team> list() override;
    std::optional<Team> get(const std::string& name) override;
    std::vector<Team> teams_of(const std::string& username) override;
    bool add(const Team& team) override;
    bool change(const std::string& name, const std::function<void(Team&)>& change) override;
    bool remove(const std::string& name) override;

    const std::string& path() const { return path_; }
    // Checkpoints and closes the connection (it is opened again when needed).
    void close();

    struct Impl;

  private:
    std::string path_, journal_mode_;
    std::unique_ptr<Impl> impl_;
};

// <datadir>/users/<user_filename(username)>
std::string user_store_path(const std::string& datadir, const std::string& username);
// <datadir>/throttle.db
std::string throttle_path(const std::string& datadir);
// <datadir>/teams.db
std::string teams_path(const std::string& datadir);

// The data folder as a Database. user_store() makes <datadir>/users/ (mode 0700) and the
// file when missing, keeps at most 16 open stores per process (least recently used
// dropped), and opens a file again when it was deleted or replaced (a restore) or
// turned out damaged.
class DataFolder : public Database {
  public:
    DataFolder(std::string datadir, std::string journal_mode);
    ~DataFolder() override;

    std::shared_ptr<UserStore> user_store(const std::string& username, bool create = true) override;
    bool user_exists(const std::string& username) override;
    std::shared_ptr<LoginThrottle> login_throttle(const ThrottleLimits& limits) override;
    std::shared_ptr<TeamStore> teams() override;
    void close() override;

    const std::string& datadir() const { return datadir_; }
    const std::string& journal_mode() const { return journal_mode_; }

  private:
    struct Entry {
        std::string username;
        std::shared_ptr<UserFile> store;
        dev_t dev;
        ino_t ino;
        uint64_t used;
    };
    void forget_after_fork();

    std::string datadir_, journal_mode_;
    std::mutex mutex_;
    pid_t owner_;  // the process whose connections the cache holds
    std::vector<Entry> cache_;
    uint64_t tick_ = 0;
    std::vector<std::weak_ptr<ThrottleFile>> throttles_;
    std::shared_ptr<TeamsFile> teams_;
};

}  // namespace tagwatch
