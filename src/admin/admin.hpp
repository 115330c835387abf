// tagwatch-admin's shared parts: the command table's types, the argument parser every
// subcommand uses, the context (the server's Config), and small helpers (password
// prompts, a lock on the data folder, the database) for the files in src/admin/.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/pg_store.hpp"
#include "store/store.hpp"
#include "util/file.hpp"

namespace tagwatch::admin {

// Bad input on the command line: the message is printed with the subcommand's usage
// line, and the exit status is 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A subcommand's arguments after its name: positionals in order and --options (with
// `--name=value` or `--name value` for options that take a value). Options a subcommand
// does not know are a UsageError, so a typo never silently does something else.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // name without dashes -> value ("" for flags)
    std::vector<std::pair<std::string, std::string>> given;  // every option in order (repeats too)

    bool has(const std::string& name) const { return options.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    // Every value of a repeatable option, in order.
    std::vector<std::string> all(const std::string& name) const;
    // The positional at `index`, or UsageError naming `what` when missing.
    const std::string& need(size_t index, const std::string& what) const;
    // UsageError when there are more than `count` positionals.
    void at_most(size_t count) const;
};

// flags: options without a value; valued: options with one. "--help"/"-h" is always a flag.
Args parse_args(const std::vector<std::string>& argv, const std::set<std::string>& flags,
                const std::set<std::string>& valued);

struct Context {
    Config config;
    std::string config_file;  // the config file read, if any (for messages)
};

struct Command {
    const char* name;
    const char* summary;  // one line for the command list
    const char* help;     // the whole --help text: usage line first
    std::function<int(Context&, const std::vector<std::string>&)> run;
};

// The table of subcommands, in the order `tagwatch-admin --help` lists them.
const std::vector<Command>& commands();

// The subcommands, one file each (or a few related ones together).
int cmd_hash_password(Context&, const std::vector<std::string>&);
int cmd_users(Context&, const std::vector<std::string>&);
int cmd_token(Context&, const std::vector<std::string>&);
int cmd_export(Context&, const std::vector<std::string>&);
int cmd_import(Context&, const std::vector<std::string>&);
int cmd_backup(Context&, const std::vector<std::string>&);
int cmd_restore(Context&, const std::vector<std::string>&);
int cmd_check(Context&, const std::vector<std::string>&);
int cmd_stats(Context&, const std::vector<std::string>&);
int cmd_teams(Context&, const std::vector<std::string>&);
int cmd_migrate(Context&, const std::vector<std::string>&);
extern const char* const kHashPasswordHelp;
extern const char* const kUsersHelp;
extern const char* const kTokenHelp;
extern const char* const kExportHelp;
extern const char* const kImportHelp;
extern const char* const kBackupHelp;
extern const char* const kRestoreHelp;
extern const char* const kCheckHelp;
extern const char* const kStatsHelp;
extern const char* const kTeamsHelp;
extern const char* const kMigrateHelp;

// ---- helpers (util.cpp)

// A new password: asked twice without echo on a terminal, or one line from standard
// input otherwise (or always with from_stdin). Refuses an empty password, a mismatch,
// and one with spaces at either end (the server trims what the login page sends).
std::string read_new_password(bool from_stdin);

// <datadir>/credentials, <datadir>/jwt.key, <datadir>/users
std::string datadir_path(const Context& ctx, const std::string& name = "");

// Holds an exclusive flock on the data folder while the credentials file is read and
// rewritten, so that two admins never lose each other's change. Nothing is left behind:
// the lock is on the folder itself and ends with the process.
class DatadirLock {
  public:
    explicit DatadirLock(const std::string& datadir);
    ~DatadirLock();
    DatadirLock(const DatadirLock&) = delete;
    DatadirLock& operator=(const DatadirLock&) = delete;

  private:
    int fd_ = -1;
};

// The configured database (the data folder, or PostgreSQL with the setting `database`),
// as the server opens it.
std::shared_ptr<Database> database(const Context& ctx);
// The PostgreSQL engine when the setting `database` picks it, else nullptr.
std::shared_ptr<PgDatabase> pg_database(const Context& ctx);
// Where the data is, for messages: the data folder's path, or "the database".
std::string data_place(const Context& ctx);

// Every user file in <datadir>/users: username -> file name (files whose name is not
// one user_filename makes are left out; `stray` gets them when given).
std::map<std::string, std::string> user_files(const std::string& datadir,
                                              std::vector<std::string>* stray = nullptr);

// Run as root on a data folder that belongs to another user (the web server's), the
// command switches to that user first, so every file it makes belongs to the server and
// it can read and write them. Returns a note for the user, or "" when nothing changed.
std::string become_datadir_owner(const std::string& datadir);

}  // namespace tagwatch::admin
