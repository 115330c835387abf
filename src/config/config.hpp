// The server's settings and where they come from: flags (--name=value), environment
// (TAGWATCH_<NAME>, then TimeTagger's TIMETAGGER_<NAME>), an optional config file
// (--config / TAGWATCH_CONFIG, lines `name = value`), then defaults, in that order.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/credentials.hpp"
#include "store/store.hpp"

namespace tagwatch {

struct Config {
    std::string datadir;      // always set after load_config (default ~/_timetagger)
    std::string credentials;  // the raw setting "user1:hash1,user2:hash2", already checked
    std::string path_prefix = "/timetagger/";  // starts and ends with '/'
    bool app_redirect = false;
    std::string log_level = "info";  // debug | info | warning | error (lower case)
    std::string log_file;            // empty: standard error
    bool proxy_auth_enabled = false;
    std::string proxy_auth_trusted = "127.0.0.1";  // checked: IPs and CIDR ranges
    std::string proxy_auth_header = "X-Remote-User";
    bool webserver_auth_enabled = false;
    bool localhost_login = false;
    std::string journal_mode = "wal";  // wal | delete (lower case)
    std::string database;        // PostgreSQL connection string or URI; empty = the data folder
    std::string socket;          // FastCGI listen socket: PATH or HOST:PORT; empty = none
    int workers = 1;             // 1..256
    long max_requests = 0;       // per worker before it is replaced; 0 = no limit
    long idle_timeout = 0;       // seconds; 0 = off
    int login_max_failures = 5;  // failed logins per user or address within login_window
    int login_window = 300;      // seconds
};

struct StartupOptions {
    Config config;
    bool show_help = false;
    bool show_version = false;
    std::string config_file;  // the config file read, if any
};

// args = argv[1..]; env = the environment. Flags: `--name=value` or `--name value`,
// dashes or underscores alike; a boolean flag alone means true; --config FILE, --help
// (-h), --version (-V). Precedence: flags > TAGWATCH_<NAME> > TIMETAGGER_<NAME> >
// config file > defaults; empty environment values count as unset. Unknown flags,
// unknown TAGWATCH_* variables (TIMETAGGER_* ones are TimeTagger's and ignored) and
// unknown config-file keys are errors. Every bad value throws std::invalid_argument naming the
// setting, the value and where it came from. The credentials setting is parsed here,
// so a bad entry stops start-up.
StartupOptions load_config(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env);

// This process's environment, as load_config takes it.
std::map<std::string, std::string> process_environment();

// The --help text: one line per setting with its flag, environment names and default.
std::string config_help_text();

// Everyone who may log in with a password: <datadir>/credentials (the admin command's
// file; with a `database`, its credentials table) plus the credentials setting; for a
// user in both, the setting's hash wins, so a deployment's configuration stays
// authoritative over the file.
Credentials load_all_credentials(const Config& config);

// Where the data is, for open_database().
StoreSettings store_settings(const Config& config);

}  // namespace tagwatch
