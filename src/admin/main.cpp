// tagwatch-admin: the command table and its dispatch. It reads the same settings as the
// server (flags, TAGWATCH_/TIMETAGGER_ environment, --config file) so that it finds the
// same data folder; each subcommand lives in its own file of src/admin/.
#include <cstdio>
#include <iostream>

#include "admin/admin.hpp"

namespace tagwatch::admin {

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"hash-password", "print an Argon2id hash of a password (for the credentials setting)",
         kHashPasswordHelp, cmd_hash_password},
        {"users", "list, add, remove users or change a password (<datadir>/credentials)",
         kUsersHelp, cmd_users},
        {"token", "print an API token for a user (for the command-line client)", kTokenHelp,
         cmd_token},
        {"export", "write a user's records and settings as JSON or CSV", kExportHelp, cmd_export},
        {"import", "merge records and settings from an export into a user's data", kImportHelp,
         cmd_import},
        {"backup", "copy every user file, the key and the credentials, while the server runs",
         kBackupHelp, cmd_backup},
        {"restore", "put a backup back into the data folder", kRestoreHelp, cmd_restore},
        {"check", "check every file's integrity and schema and the permissions", kCheckHelp,
         cmd_check},
        {"stats", "users, records, settings and file sizes", kStatsHelp, cmd_stats},
        {"teams", "add, change, list or remove teams (managers see the members' time)", kTeamsHelp,
         cmd_teams},
        {"migrate", "copy everything from a data folder into PostgreSQL, or back", kMigrateHelp,
         cmd_migrate},
    };
    return table;
}

namespace {

// Settings that may also follow the subcommand (`tagwatch-admin stats --datadir /srv/tt`).
const char* const kConfigOptions[] = {"datadir", "config", "journal-mode", "credentials"};

bool take_config_option(const std::vector<std::string>& args, size_t& i,
                        std::vector<std::string>& config_args) {
    const std::string& a = args[i];
    if (a.compare(0, 2, "--") != 0) return false;
    std::string name = a.substr(2);
    auto eq = name.find('=');
    std::string bare = eq == std::string::npos ? name : name.substr(0, eq);
    for (char& c : bare)
        if (c == '_') c = '-';
    for (const char* option : kConfigOptions) {
        if (bare != option) continue;
        config_args.push_back(a);
        if (eq == std::string::npos && i + 1 < args.size()) config_args.push_back(args[++i]);
        return true;
    }
    return false;
}

void print_overview(std::ostream& out) {
    out << "Usage: tagwatch-admin [--datadir DIR | --config FILE] COMMAND [ARGS]\n"
           "Administers a tagwatch (or TimeTagger) data folder. It reads the same settings as the\n"
           "server: flags, TAGWATCH_*/TIMETAGGER_* environment variables and the --config file.\n\n"
           "Commands:\n";
    for (const auto& c : commands()) {
        std::string name = c.name;
        name.resize(15, ' ');
        out << "  " << name << c.summary << "\n";
    }
    out << "\n`tagwatch-admin COMMAND --help` tells more about each. Exit status: 0 done, 1 "
           "failed,\n"
           "2 bad command line. Run as root on a data folder that belongs to the web server's "
           "user,\n"
           "it works as that user, so the files it makes stay readable by the server.\n";
}

int main_admin(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<std::string> config_args;
    size_t i = 0;
    // Everything before the command is a setting for load_config (or --help / --version).
    for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            print_overview(std::cout);
            return 0;
        }
        if (a == "--version" || a == "-V") {
            std::cout << "tagwatch-admin " << TAGWATCH_VERSION << "\n";
            return 0;
        }
        config_args.push_back(a);
        // `--name value`: the value is the next word unless the flag carries one.
        if (a.find('=') == std::string::npos && i + 1 < args.size() &&
            args[i + 1].compare(0, 1, "-") != 0) {
            std::string bare = a.substr(2);
            bool takes_value = true;
            for (const char* boolean : {"localhost-login", "localhost_login", "proxy-auth-enabled",
                                        "proxy_auth_enabled", "webserver-auth-enabled",
                                        "webserver_auth_enabled", "app-redirect", "app_redirect"})
                if (bare == boolean) takes_value = false;
            if (takes_value) config_args.push_back(args[++i]);
        }
    }
    if (i >= args.size()) {
        print_overview(std::cerr);
        std::cerr << "\ntagwatch-admin: missing command\n";
        return 2;
    }
    std::string name = args[i++];
    if (name == "help") {
        if (i >= args.size()) {
            print_overview(std::cout);
            return 0;
        }
        name = args[i];
        args = {"--help"};
        i = 0;
    }
    const Command* command = nullptr;
    for (const auto& c : commands())
        if (name == c.name) command = &c;
    if (!command) {
        std::cerr << "tagwatch-admin: unknown command '" << name
                  << "' (see tagwatch-admin --help)\n";
        return 2;
    }
    std::vector<std::string> rest;
    for (; i < args.size(); ++i) {
        if (args[i] == "--") {
            rest.insert(rest.end(), args.begin() + static_cast<long>(i), args.end());
            break;
        }
        if (!take_config_option(args, i, config_args)) rest.push_back(args[i]);
    }
    for (const auto& a : rest) {
        if (a == "--help" || a == "-h") {
            std::cout << command->help;
            return 0;
        }
    }

    Context ctx;
    try {
        StartupOptions options = load_config(config_args, process_environment());
        ctx.config = options.config;
        ctx.config_file = options.config_file;
    } catch (const std::exception& e) {
        std::cerr << "tagwatch-admin: " << e.what() << "\n";
        return 2;
    }
    try {
        return command->run(ctx, rest);
    } catch (const UsageError& e) {
        std::string help = command->help;
        std::cerr << "tagwatch-admin " << command->name << ": " << e.what() << "\n"
                  << help.substr(0, help.find('\n') + 1) << "(tagwatch-admin " << command->name
                  << " --help tells more)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "tagwatch-admin " << command->name << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

}  // namespace tagwatch::admin

int main(int argc, char** argv) { return tagwatch::admin::main_admin(argc, argv); }
