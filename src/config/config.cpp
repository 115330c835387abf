// Loading the Config: one table of settings (name, kind, default, check), read from
// flags, environment and config file with a fixed precedence.
#include "config/config.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "auth/net.hpp"
#include "store/postgres.hpp"
#include "util/text.hpp"

extern char** environ;

namespace tagwatch {

namespace {

// One value as found, with where it was found (for messages).
struct Found {
    std::string value;
    std::string source;  // "--datadir", "TAGWATCH_DATADIR", "tagwatch.conf:3"
};

struct Setting {
    const char* name;
    bool is_bool;
    const char* placeholder;  // for the help text
    const char* default_text;
    const char* help;
    // Checks and stores a value; throws std::invalid_argument with the reason (the caller adds
    // the setting's name and the value's origin).
    std::function<void(Config&, const std::string&)> apply;
};

struct BadValue : std::runtime_error {
    using std::runtime_error::runtime_error;
};

bool parse_bool(const std::string& text) {
    const std::string v = ascii_lower(trim(text));
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    throw BadValue("'" + text + "' is not a boolean (true/yes/on/1 or false/no/off/0)");
}

long parse_long(const std::string& text, long min, long max) {
    const std::string v(trim(text));
    long n = 0;
    const auto [end, err] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || err != std::errc() || end != v.data() + v.size())
        throw BadValue("'" + text + "' is not a whole number");
    if (n < min || n > max)
        throw BadValue("'" + text + "' is not between " + std::to_string(min) + " and " +
                       std::to_string(max));
    return n;
}

std::string one_of(const std::string& text, std::initializer_list<const char*> allowed) {
    const std::string v = ascii_lower(trim(text));
    std::string list;
    for (const char* a : allowed) {
        if (v == a) return v;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    throw BadValue("'" + text + "' is not one of " + list);
}

std::string normalise_prefix(const std::string& text) {
    const std::string v(trim(text));
    std::string out = "/";
    for (const char c : v) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == ' ' || c == '?' || c == '#' ||
            c == '\\')
            throw BadValue("'" + text +
                           "' is not a URL path (no spaces, controls, '?', '#' or '\\')");
        if (c == '/' && out.back() == '/') continue;  // one slash at each joint
        out += c;
    }
    if (out.back() != '/') out += '/';
    return out;
}

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = {
        {"datadir", false, "PATH", "~/_timetagger", "data folder: jwt.key, users/*.db, credentials",
         [](Config& c, const std::string& v) { c.datadir = trim(v); }},
        {"credentials", false, "USER:HASH,...", "(none)",
         "password users; hashes $argon2id$ or bcrypt $2a$/$2b$/$2y$ (see also "
         "<datadir>/credentials)",
         [](Config& c, const std::string& v) {
             try {
                 parse_credentials_setting(v);
             } catch (const std::invalid_argument& e) {
                 throw BadValue(e.what());  // its message names the entry, never the whole value
             }
             c.credentials = v;
         }},
        {"path_prefix", false, "PATH", "/timetagger/", "URL path under which the app and API live",
         [](Config& c, const std::string& v) { c.path_prefix = normalise_prefix(v); }},
        {"app_redirect", true, "BOOL", "false",
         "'/' redirects to the app instead of the landing page",
         [](Config& c, const std::string& v) { c.app_redirect = parse_bool(v); }},
        {"log_level", false, "LEVEL", "info", "debug, info, warning or error",
         [](Config& c, const std::string& v) {
             c.log_level = one_of(v, {"debug", "info", "warning", "error"});
         }},
        {"log_file", false, "PATH", "(standard error)", "append the log to this file",
         [](Config& c, const std::string& v) { c.log_file = trim(v); }},
        {"proxy_auth_enabled", true, "BOOL", "false",
         "allow login by a trusted proxy's user header",
         [](Config& c, const std::string& v) { c.proxy_auth_enabled = parse_bool(v); }},
        {"proxy_auth_trusted", false, "LIST", "127.0.0.1",
         "proxy addresses trusted for that: IPs and CIDR ranges",
         [](Config& c, const std::string& v) {
             try {
                 validate_address_list(v);
             } catch (const std::invalid_argument& e) {
                 throw BadValue(e.what());
             }
             c.proxy_auth_trusted = trim(v);
         }},
        {"proxy_auth_header", false, "NAME", "X-Remote-User",
         "the header naming the user for proxy login",
         [](Config& c, const std::string& v) {
             const std::string h(trim(v));
             bool ok = !h.empty();
             for (const char ch : h)
                 if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'))
                     ok = false;
             if (!ok)
                 throw BadValue("'" + v + "' is not a header name (letters, digits, '-' and '_')");
             c.proxy_auth_header = h;
         }},
        {"webserver_auth_enabled", true, "BOOL", "false",
         "allow login by the web server's own auth (REMOTE_USER)",
         [](Config& c, const std::string& v) { c.webserver_auth_enabled = parse_bool(v); }},
        {"localhost_login", true, "BOOL", "false", "allow login as 'defaultuser' from this machine",
         [](Config& c, const std::string& v) { c.localhost_login = parse_bool(v); }},
        {"journal_mode", false, "MODE", "wal",
         "SQLite journal: wal, or delete for network filesystems",
         [](Config& c, const std::string& v) {
             c.journal_mode = one_of(v, {"wal", "delete"});
         }},
        {"database", false, "CONNINFO", "(none: the data folder)",
         "PostgreSQL instead of the data folder: a libpq connection string or postgresql:// URI",
         [](Config& c, const std::string& v) {
             try {
                 pg::check_conninfo(std::string(trim(v)));
             } catch (const std::invalid_argument& e) {
                 throw BadValue(
                     e.what());  // libpq's words; never the value, which may hold a password
             } catch (const std::runtime_error& e) {
                 throw BadValue(e.what());
             }
             c.database = trim(v);
         }},
        {"socket", false, "PATH|HOST:PORT", "(none)",
         "FastCGI socket to listen on (else fd 0 / plain CGI)",
         [](Config& c, const std::string& v) { c.socket = trim(v); }},
        {"workers", false, "N", "1", "FastCGI worker processes, 1 to 256",
         [](Config& c, const std::string& v) {
             c.workers = static_cast<int>(parse_long(v, 1, 256));
         }},
        {"max_requests", false, "N", "0",
         "requests a worker serves before it is replaced (0 = no limit)",
         [](Config& c, const std::string& v) {
             c.max_requests = parse_long(v, 0, 1000000000000L);
         }},
        {"idle_timeout", false, "SECONDS", "0",
         "exit after this long without a request (0 = never)",
         [](Config& c, const std::string& v) { c.idle_timeout = parse_long(v, 0, 1000000000L); }},
        {"login_max_failures", false, "N", "5", "failed logins per user or address before 429",
         [](Config& c, const std::string& v) {
             c.login_max_failures = static_cast<int>(parse_long(v, 0, 1000000));
         }},
        {"login_window", false, "SECONDS", "300", "how long failed logins are counted",
         [](Config& c, const std::string& v) {
             c.login_window = static_cast<int>(parse_long(v, 1, 31536000));
         }},
    };
    return table;
}

const Setting* find_setting(const std::string& name) {
    for (const auto& s : settings())
        if (name == s.name) return &s;
    return nullptr;
}

// "--log-level" -> "log_level"
std::string flag_name(std::string_view text) {
    std::string name(text);
    for (char& c : name)
        if (c == '-') c = '_';
    return name;
}

void read_config_file(const std::string& path, std::map<std::string, Found>& found) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read the config file " + path);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::string where = path + ":" + std::to_string(number);
        const std::string t(trim(line));
        if (t.empty() || t[0] == '#') continue;
        const size_t eq = t.find('=');
        if (eq == std::string::npos)
            throw std::invalid_argument(where + ": expected 'name = value', got '" + t + "'");
        const std::string name = flag_name(ascii_lower(trim(t.substr(0, eq))));
        std::string value(trim(t.substr(eq + 1)));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        if (!find_setting(name))
            throw std::invalid_argument(where + ": unknown setting '" + name + "'");
        found[name] = Found{value, where};
    }
    if (in.bad()) throw std::invalid_argument("cannot read the config file " + path);
}

}  // namespace

StartupOptions load_config(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
    StartupOptions options;
    std::map<std::string, Found> from_flags, from_tagwatch_env, from_timetagger_env, from_file;

    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-h" || arg == "--help") {
            options.show_help = true;
            continue;
        }
        if (arg == "-V" || arg == "--version") {
            options.show_version = true;
            continue;
        }
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0)
            throw std::invalid_argument("unexpected argument '" + arg +
                                        "' (settings are given as --name=value; see --help)");
        const size_t eq = arg.find('=');
        const std::string name =
            flag_name(std::string_view(arg).substr(2, eq == std::string::npos ? eq : eq - 2));
        const std::string flag = "--" + name;
        const Setting* setting = find_setting(name);
        if (!setting && name != "config")
            throw std::invalid_argument("unknown option '" + arg + "' (see --help)");
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (setting && setting->is_bool) {
            // A bare boolean flag means true; a following word that is not a flag is its value.
            if (i + 1 < args.size() && args[i + 1].compare(0, 1, "-") != 0)
                value = args[++i];
            else
                value = "true";
        } else {
            if (i + 1 >= args.size())
                throw std::invalid_argument("option " + flag + " needs a value");
            value = args[++i];
        }
        if (name == "config")
            options.config_file = value;
        else
            from_flags[name] = Found{value, flag};
    }

    std::string config_from_env;
    for (const auto& [key, value] : env) {
        const bool ours = key.compare(0, 9, "TAGWATCH_") == 0;
        const bool timetaggers = key.compare(0, 11, "TIMETAGGER_") == 0;
        if (!ours && !timetaggers) continue;
        const std::string name = ascii_lower(key.substr(ours ? 9 : 11));
        if (ours && name == "config") {
            config_from_env = value;
            continue;
        }
        if (!find_setting(name)) {
            // TimeTagger has settings of its own (bind, ...) that mean nothing here.
            if (ours)
                throw std::invalid_argument("unknown environment variable " + key +
                                            " (see --help for the settings)");
            continue;
        }
        if (value.empty()) continue;  // `TAGWATCH_X= program` means unset
        (ours ? from_tagwatch_env : from_timetagger_env)[name] = Found{value, key};
    }
    if (options.config_file.empty()) options.config_file = config_from_env;
    if (!options.config_file.empty()) read_config_file(options.config_file, from_file);

    Config& config = options.config;
    for (const auto& setting : settings()) {
        const Found* found = nullptr;
        for (const auto* source :
             {&from_flags, &from_tagwatch_env, &from_timetagger_env, &from_file}) {
            const auto it = source->find(setting.name);
            if (it != source->end()) {
                found = &it->second;
                break;
            }
        }
        if (!found) continue;
        try {
            setting.apply(config, found->value);
        } catch (const BadValue& e) {
            throw std::invalid_argument(std::string("bad value for ") + setting.name + " (from " +
                                        found->source + "): " + e.what());
        }
    }

    const auto home = env.find("HOME");
    const bool has_home = home != env.end() && !home->second.empty();
    if (config.datadir.empty() && !config.database.empty()) return options;  // not needed
    if (config.datadir.empty()) {
        if (!has_home)
            throw std::invalid_argument(
                "no data folder: HOME is not set, so the default ~/_timetagger cannot be found; "
                "set datadir (--datadir, TAGWATCH_DATADIR or a config file)");
        config.datadir = home->second + "/_timetagger";
    } else if (config.datadir == "~" || config.datadir.compare(0, 2, "~/") == 0) {
        if (!has_home)
            throw std::invalid_argument("datadir '" + config.datadir +
                                        "' starts with ~ but HOME is not set");
        config.datadir = home->second + config.datadir.substr(1);
    }
    return options;
}

std::string config_help_text() {
    std::ostringstream out;
    out << "Settings: --name=VALUE or --name VALUE (dashes or underscores), environment "
           "TAGWATCH_NAME\n"
           "(or TimeTagger's TIMETAGGER_NAME), or 'name = value' lines in a config file.\n"
           "Precedence: flags, then TAGWATCH_*, then TIMETAGGER_*, then the config file, then "
           "defaults.\n"
           "Booleans: true/yes/on/1 or false/no/off/0; a boolean flag alone means true.\n\n";
    const auto line = [&](const std::string& flag, const std::string& help,
                          const std::string& rest) {
        out << "  " << flag;
        for (size_t n = flag.size(); n < 40; ++n) out << ' ';
        out << ' ' << help;
        if (!rest.empty()) out << " [" << rest << "]";
        out << '\n';
    };
    for (const auto& s : settings()) {
        const std::string upper_name = ascii_upper(s.name);
        line(std::string("--") + s.name + "=" + s.placeholder, s.help,
             "env TAGWATCH_" + upper_name + ", TIMETAGGER_" + upper_name + "; default " +
                 s.default_text);
    }
    line("--config=FILE", "read settings from FILE (keep it outside the web root)",
         "env TAGWATCH_CONFIG");
    line("--help, -h", "show this help", "");
    line("--version, -V", "show the version", "");
    return out.str();
}

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string_view entry(*e);
        const size_t eq = entry.find('=');
        if (eq != std::string_view::npos)
            env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return env;
}

StoreSettings store_settings(const Config& config) {
    return StoreSettings{config.datadir, config.journal_mode, config.database};
}

Credentials load_all_credentials(const Config& config) {
    Credentials all;
    if (config.database.empty())
        all = parse_credentials_file(config.datadir + "/credentials");
    else
        all = open_database(store_settings(config))->shared_credentials().value_or(Credentials{});
    for (auto& [user, hash] : parse_credentials_setting(config.credentials)) all[user] = hash;
    return all;
}

}  // namespace tagwatch
