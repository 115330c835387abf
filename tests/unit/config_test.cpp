// Unit tests for src/config: precedence of flags, environment and config file;
// booleans, numbers and choices with their error messages; path prefix; data folder
// default; credentials checked at load; the merge of setting and credentials file.
#include "config/config.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "auth/password.hpp"
#include "temp_dir.hpp"

using namespace tagwatch;

using tagwatch_test::temp_dir;

namespace {

using Env = std::map<std::string, std::string>;
using Args = std::vector<std::string>;

const Env kHome = {{"HOME", "/home/u"}};
const std::string kBcrypt =
    "$2b$10$x3UnGm.j4aZCJPlgQRAQQeZ5QglLeMjmDCm.N2u0CTfr3to53AVl2";  // alice's, from the fixture

Config load(const Args& args, Env env = kHome) { return load_config(args, env).config; }

std::string error_of(const Args& args, const Env& env = kHome) {
    try {
        load_config(args, env);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    BOOST_ERROR("expected a std::invalid_argument");
    return "";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_load)

BOOST_AUTO_TEST_CASE(defaults) {
    const StartupOptions o = load_config({}, kHome);
    const Config& c = o.config;
    BOOST_TEST(c.datadir == "/home/u/_timetagger");
    BOOST_TEST(c.credentials == "");
    BOOST_TEST(c.path_prefix == "/timetagger/");
    BOOST_TEST(!c.app_redirect);
    BOOST_TEST(c.log_level == "info");
    BOOST_TEST(!c.proxy_auth_enabled);
    BOOST_TEST(c.proxy_auth_trusted == "127.0.0.1");
    BOOST_TEST(c.proxy_auth_header == "X-Remote-User");
    BOOST_TEST(!c.webserver_auth_enabled);
    BOOST_TEST(!c.localhost_login);
    BOOST_TEST(c.journal_mode == "wal");
    BOOST_TEST(c.workers == 1);
    BOOST_TEST(c.login_max_failures == 5);
    BOOST_TEST(c.login_window == 300);
    BOOST_TEST(!o.show_help);
    BOOST_TEST(!o.show_version);
    BOOST_TEST(o.config_file == "");
}

BOOST_AUTO_TEST_CASE(flag_forms) {
    Config c = load({"--datadir=/d1", "--log-level", "DEBUG", "--path_prefix", "tt",
                     "--localhost-login", "--proxy_auth_enabled=yes", "--workers", "4",
                     "--max-requests=1000", "--journal_mode=DELETE", "--socket", "127.0.0.1:9000",
                     "--app_redirect", "off", "--webserver-auth-enabled"});
    BOOST_TEST(c.datadir == "/d1");
    BOOST_TEST(c.log_level == "debug");
    BOOST_TEST(c.path_prefix == "/tt/");
    BOOST_TEST(c.localhost_login);
    BOOST_TEST(c.proxy_auth_enabled);
    BOOST_TEST(c.workers == 4);
    BOOST_TEST(c.max_requests == 1000);
    BOOST_TEST(c.journal_mode == "delete");
    BOOST_TEST(c.socket == "127.0.0.1:9000");
    BOOST_TEST(!c.app_redirect);
    BOOST_TEST(c.webserver_auth_enabled);
    // The last of a repeated flag counts.
    BOOST_TEST(load({"--workers=2", "--workers=3"}).workers == 3);
    BOOST_TEST(load_config({"--help"}, kHome).show_help);
    BOOST_TEST(load_config({"-h"}, kHome).show_help);
    BOOST_TEST(load_config({"--version"}, kHome).show_version);
}

BOOST_AUTO_TEST_CASE(booleans) {
    for (const char* t : {"true", "TRUE", "Yes", "on", "1"})
        BOOST_TEST(load({std::string("--app_redirect=") + t}).app_redirect, t);
    for (const char* f : {"false", "No", "OFF", "0"})
        BOOST_TEST(!load({std::string("--app_redirect=") + f}).app_redirect, f);
    BOOST_TEST(load({}, {{"HOME", "/h"}, {"TAGWATCH_LOCALHOST_LOGIN", "on"}}).localhost_login);
    const std::string m = error_of({}, {{"HOME", "/h"}, {"TAGWATCH_LOCALHOST_LOGIN", "maybe"}});
    BOOST_TEST(
        m ==
        "bad value for localhost_login (from TAGWATCH_LOCALHOST_LOGIN): 'maybe' is not a boolean "
        "(true/yes/on/1 or false/no/off/0)");
    BOOST_TEST(contains(error_of({"--proxy-auth-enabled=2"}),
                        "bad value for proxy_auth_enabled (from --proxy_auth_enabled): '2'"));
    BOOST_TEST(contains(error_of({"--app_redirect", "maybe"}), "'maybe' is not a boolean"));
    BOOST_TEST(contains(error_of({"--app_redirect="}), "'' is not a boolean"));
}

BOOST_AUTO_TEST_CASE(precedence_flags_env_file_defaults) {
    const std::string dir = temp_dir("config");
    const std::string file = write_file(dir + "/tagwatch.conf",
                                        "# comment\n\n  log_level = warning\nworkers=7\n"
                                        "path-prefix = \"/from-file\"\njournal_mode = delete\n"
                                        "proxy_auth_header = X-From-File\n");
    Env env = {{"HOME", "/h"},
               {"TAGWATCH_CONFIG", file},
               {"TAGWATCH_WORKERS", "5"},
               {"TIMETAGGER_WORKERS", "6"},
               {"TIMETAGGER_PATH_PREFIX", "/tt-env/"},
               {"TIMETAGGER_LOG_LEVEL", "error"},
               {"TAGWATCH_LOG_LEVEL", "debug"}};
    const StartupOptions o = load_config({"--workers=3"}, env);
    BOOST_TEST(o.config_file == file);
    BOOST_TEST(o.config.workers == 3);               // flag over everything
    BOOST_TEST(o.config.log_level == "debug");       // TAGWATCH_ over TIMETAGGER_
    BOOST_TEST(o.config.path_prefix == "/tt-env/");  // TIMETAGGER_ over the file
    BOOST_TEST(o.config.journal_mode == "delete");   // the file over defaults
    BOOST_TEST(o.config.proxy_auth_header == "X-From-File");
    BOOST_TEST(o.config.proxy_auth_trusted == "127.0.0.1");  // default
    env.erase("TAGWATCH_WORKERS");
    BOOST_TEST(load({}, env).workers == 6);
    env.erase("TIMETAGGER_WORKERS");
    BOOST_TEST(load({}, env).workers == 7);
    // --config beats TAGWATCH_CONFIG.
    const std::string other = write_file(dir + "/other.conf", "workers = 9\n");
    BOOST_TEST(load({"--config", other}, env).workers == 9);
    // Empty environment values count as unset.
    env["TAGWATCH_WORKERS"] = "";
    BOOST_TEST(load({}, env).workers == 7);
}

BOOST_AUTO_TEST_CASE(config_file_errors_name_file_and_line) {
    const std::string dir = temp_dir("config");
    std::string m =
        error_of({"--config=" + write_file(dir + "/a.conf", "workers = 2\n\nbogus = 1\n")});
    BOOST_TEST(contains(m, dir + "/a.conf:3"), m);
    BOOST_TEST(contains(m, "'bogus'"), m);
    m = error_of({"--config=" + write_file(dir + "/b.conf", "# c\nworkers 2\n")});
    BOOST_TEST(contains(m, dir + "/b.conf:2"), m);
    m = error_of({"--config=" + write_file(dir + "/c.conf", "localhost_login = perhaps\n")});
    BOOST_TEST(m == "bad value for localhost_login (from " + dir +
                        "/c.conf:1): 'perhaps' is not a boolean "
                        "(true/yes/on/1 or false/no/off/0)");
    m = error_of({"--config=" + dir + "/missing.conf"});
    BOOST_TEST(contains(m, "missing.conf"), m);
    m = error_of({"--config=" + write_file(dir + "/d.conf", "config = other\n")});
    BOOST_TEST(contains(m, "d.conf:1"), m);
}

BOOST_AUTO_TEST_CASE(bad_values_and_unknown_names) {
    BOOST_TEST(contains(error_of({"--workers=0"}),
                        "bad value for workers (from --workers): '0' is not between 1 and 256"));
    BOOST_TEST(contains(error_of({"--workers=257"}), "not between 1 and 256"));
    BOOST_TEST(contains(error_of({"--workers=2x"}), "'2x' is not a whole number"));
    BOOST_TEST(contains(error_of({"--workers="}), "is not a whole number"));
    BOOST_TEST(contains(error_of({"--idle_timeout=-1"}), "idle_timeout"));
    BOOST_TEST(contains(error_of({"--max_requests=99999999999999999999999"}), "max_requests"));
    BOOST_TEST(
        contains(error_of({"--journal_mode=truncate"}), "'truncate' is not one of wal, delete"));
    BOOST_TEST(contains(error_of({"--log_level=verbose"}),
                        "'verbose' is not one of debug, info, warning, error"));
    BOOST_TEST(contains(
        error_of({"--proxy_auth_trusted=127.0.0.1, localhost"}),
        "bad value for proxy_auth_trusted (from --proxy_auth_trusted): 'localhost' is not an IP"));
    BOOST_TEST(load({"--proxy_auth_trusted=10.0.0.0/8 ::1"}).proxy_auth_trusted ==
               "10.0.0.0/8 ::1");
    BOOST_TEST(contains(error_of({"--proxy_auth_header=X Remote"}), "proxy_auth_header"));
    BOOST_TEST(contains(error_of({"--path_prefix=/a b/"}), "path_prefix"));
    BOOST_TEST(contains(error_of({"--bogus=1"}), "unknown option '--bogus=1'"));
    BOOST_TEST(contains(error_of({"datadir"}), "unexpected argument 'datadir'"));
    BOOST_TEST(contains(error_of({"--datadir"}), "--datadir needs a value"));
    BOOST_TEST(contains(error_of({}, {{"HOME", "/h"}, {"TAGWATCH_BOGUS", "1"}}), "TAGWATCH_BOGUS"));
    // TimeTagger's own variables that mean nothing here are ignored.
    BOOST_CHECK_NO_THROW(
        load({}, {{"HOME", "/h"}, {"TIMETAGGER_BIND", "0.0.0.0:80"}, {"TIMETAGGER_X", "y"}}));
    BOOST_TEST(
        load({}, {{"HOME", "/h"}, {"TIMETAGGER_CREDENTIALS", "alice:" + kBcrypt}}).credentials ==
        "alice:" + kBcrypt);
}

BOOST_AUTO_TEST_CASE(path_prefix_normalised) {
    BOOST_TEST(load({"--path_prefix=timetagger"}).path_prefix == "/timetagger/");
    BOOST_TEST(load({"--path_prefix=/a/b"}).path_prefix == "/a/b/");
    BOOST_TEST(load({"--path_prefix=a/b/"}).path_prefix == "/a/b/");
    BOOST_TEST(load({"--path_prefix=/"}).path_prefix == "/");
    BOOST_TEST(load({"--path_prefix="}).path_prefix == "/");
    BOOST_TEST(load({"--path_prefix=//x//y//"}).path_prefix == "/x/y/");
}

BOOST_AUTO_TEST_CASE(datadir_default_and_missing_home) {
    BOOST_TEST(load({}, {{"HOME", "/home/zoe"}}).datadir == "/home/zoe/_timetagger");
    BOOST_TEST(load({}, {{"HOME", "/h"}, {"TIMETAGGER_DATADIR", "/srv/tt"}}).datadir == "/srv/tt");
    BOOST_TEST(load({"--datadir=~/data"}, {{"HOME", "/home/zoe"}}).datadir == "/home/zoe/data");
    BOOST_TEST(load({"--datadir=./data"}, {}).datadir == "./data");
    const std::string m = error_of({}, {});
    BOOST_TEST(contains(m, "HOME"), m);
    BOOST_TEST(contains(m, "datadir"), m);
    BOOST_TEST(contains(error_of({}, {{"HOME", ""}}), "HOME"));
    BOOST_TEST(contains(error_of({"--datadir=~/x"}, {}), "HOME"));
}

BOOST_AUTO_TEST_CASE(credentials_checked_at_load) {
    const std::string argon = hash_password("pw");
    const Config c = load({"--credentials=alice:" + kBcrypt + ",bob:" + argon});
    BOOST_TEST(c.credentials == "alice:" + kBcrypt + ",bob:" + argon);
    const std::string m = error_of(
        {}, {{"HOME", "/h"}, {"TAGWATCH_CREDENTIALS", "alice:" + kBcrypt + ";bob:secret"}});
    BOOST_TEST(contains(m, "bad value for credentials (from TAGWATCH_CREDENTIALS)"), m);
    BOOST_TEST(contains(m, "'alice'"),
               m);  // "bob:secret" has no ':$', so it belongs to alice's hash
    const std::string m2 = error_of({"--credentials=alice:" + kBcrypt + "; bo\tb:" + kBcrypt});
    BOOST_TEST(contains(m2, "entry 2: bad user name"), m2);
}

BOOST_AUTO_TEST_CASE(setting_overrides_credentials_file) {
    const std::string dir = temp_dir("config");
    const std::string argon = hash_password("pw");
    write_credentials_file(dir + "/credentials", {{"alice", argon}, {"carol", argon}});
    Config c = load({"--datadir=" + dir, "--credentials=alice:" + kBcrypt + ",dave:" + kBcrypt});
    const Credentials all = load_all_credentials(c);
    BOOST_TEST(all.size() == 3u);
    BOOST_TEST(all.at("alice") == kBcrypt);
    BOOST_TEST(all.at("carol") == argon);
    BOOST_TEST(all.at("dave") == kBcrypt);
    c.datadir = dir + "/nowhere";
    BOOST_TEST(load_all_credentials(c).size() == 2u);  // no file: the setting alone
}

BOOST_AUTO_TEST_CASE(help_lists_every_setting) {
    const std::string help = config_help_text();
    for (const char* name :
         {"datadir", "credentials", "path_prefix", "app_redirect", "log_level", "log_file",
          "proxy_auth_enabled", "proxy_auth_trusted", "proxy_auth_header", "webserver_auth_enabled",
          "localhost_login", "journal_mode", "socket", "workers", "max_requests", "idle_timeout",
          "login_max_failures", "login_window"}) {
        BOOST_TEST(contains(help, std::string("--") + name + "="), name);
        std::string upper = name;
        for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        BOOST_TEST(contains(help, "TAGWATCH_" + upper), name);
    }
    BOOST_TEST(contains(help, "--config"));
    BOOST_TEST(contains(help, "~/_timetagger"));
}

BOOST_AUTO_TEST_SUITE_END()
