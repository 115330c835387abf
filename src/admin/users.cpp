// tagwatch-admin hash-password, users (list/add/remove/passwd) and token: who may log in,
// kept in <datadir>/credentials, and the tokens that go with a user (revoked through new
// seeds, exactly as the API's ?reset=1 does).
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <iostream>

#include "admin/admin.hpp"
#include "auth/credentials.hpp"
#include "auth/jwt.hpp"
#include "auth/keyfile.hpp"
#include "auth/password.hpp"
#include "auth/seed.hpp"
#include "store/datafolder.hpp"
#include "store/store.hpp"
#include "store/throttle.hpp"

namespace tagwatch::admin {

const char* const kHashPasswordHelp =
    "Usage: tagwatch-admin hash-password [--stdin]\n"
    "Prints an Argon2id hash of a password, for the credentials setting (user:hash) or\n"
    "`users add --hash`. On a terminal it asks twice without echo; otherwise (or with\n"
    "--stdin) it reads one line from standard input.\n";

const char* const kUsersHelp =
    "Usage: tagwatch-admin users list [--long]\n"
    "       tagwatch-admin users add USER [--hash HASH | --password-stdin]\n"
    "       tagwatch-admin users passwd USER [--hash HASH | --password-stdin]\n"
    "       tagwatch-admin users remove USER [--delete-data]\n"
    "Keeps <datadir>/credentials, the users who may log in with a password (one user:hash a\n"
    "line; the server reads it at every login, so changes take effect at once).\n"
    "  list     every user with a password or with data, one a line; --long adds where the\n"
    "           password comes from (file, setting) and whether the user has data\n"
    "  add      asks for the password twice (or reads it from standard input); --hash takes\n"
    "           a ready hash instead: Argon2id, or bcrypt from a TimeTagger setup\n"
    "  passwd   sets a new password and revokes every token of the user (new seeds), so\n"
    "           every device must log in again; also clears the user's failed logins\n"
    "  remove   takes the user's password away and revokes every token; the user's data\n"
    "           file stays unless --delete-data\n"
    "A user in the credentials setting (TAGWATCH_CREDENTIALS) is not in the file: change\n"
    "the setting for those. With the setting database (PostgreSQL) the credentials live in\n"
    "the database instead of the file, so that every host behind a load balancer agrees.\n";

const char* const kTokenHelp =
    "Usage: tagwatch-admin token USER [--reset] [--force]\n"
    "Prints an API token for USER (it does not expire), for the command-line client's\n"
    "config. The same token as the web app's account page shows. --reset makes a new one\n"
    "and revokes every earlier API token of the user. USER must have a password or data\n"
    "already, unless --force.\n";

int cmd_hash_password(Context&, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"stdin"}, {});
    args.at_most(0);
    std::cout << hash_password(read_new_password(args.has("stdin"))) << "\n";
    return 0;
}

namespace {

void check_username(const std::string& user) {
    if (!valid_username(user))
        throw UsageError("'" + user +
                         "' is not a valid user name (1 to 100 bytes of UTF-8 without ':', ',', "
                         "';' or control characters)");
}

// The hash for add/passwd: from --hash (checked), or from a password asked for.
std::string new_hash(const Args& args) {
    if (args.has("hash")) {
        if (args.has("password-stdin"))
            throw UsageError("give either --hash or --password-stdin, not both");
        std::string hash = args.get("hash");
        if (!valid_password_hash(hash))
            throw UsageError(
                "--hash must be an Argon2id ($argon2id$...) or bcrypt ($2a$/$2b$/$2y$) hash");
        return hash;
    }
    return hash_password(read_new_password(args.has("password-stdin")));
}

Credentials setting_credentials(const Context& ctx) {
    return parse_credentials_setting(ctx.config.credentials);
}

// New webtoken and apitoken seeds: every token issued so far stops working.
void revoke_tokens(const Context& ctx, const std::string& user) {
    if (!database(ctx)->user_exists(user)) return;
    auto store = database(ctx)->user_store(user);
    store->reset_seed("webtoken_seed", random_seed);
    store->reset_seed("apitoken_seed", random_seed);
}

int users_list(const Context& ctx, const Args& args) {
    args.at_most(1);
    auto pg = pg_database(ctx);
    Credentials file = pg ? pg->shared_credentials().value_or(Credentials{})
                          : parse_credentials_file(datadir_path(ctx, "credentials"));
    const std::string stored = pg ? "database" : "file";
    Credentials setting = setting_credentials(ctx);
    std::set<std::string> data;
    if (pg)
        for (const auto& u : pg->users()) data.insert(u);
    else
        for (const auto& [u, f] : user_files(ctx.config.datadir)) data.insert(u);
    std::set<std::string> everyone;
    for (const auto& [u, h] : file) everyone.insert(u);
    for (const auto& [u, h] : setting) everyone.insert(u);
    for (const auto& u : data) everyone.insert(u);
    for (const auto& user : everyone) {
        if (!args.has("long")) {
            std::cout << user << "\n";
            continue;
        }
        std::string login;
        if (setting.count(user))
            login = file.count(user) ? "setting(" + stored + " ignored)" : "setting";
        else
            login = file.count(user) ? stored : "-";
        std::cout << user << "\tpassword:" << login
                  << "\tdata:" << (data.count(user) ? "yes" : "no") << "\n";
    }
    return 0;
}

// The user's entry in the credentials the admin keeps is missing: say where to look instead.
[[noreturn]] void no_such_user(const Context& ctx, const std::string& user,
                               const std::string& place) {
    if (setting_credentials(ctx).count(user))
        throw UsageError("user '" + user + "' is in the credentials setting, not in " + place +
                         ": change the setting");
    throw UsageError("no user '" + user + "' in " + place + " (see `users list`)");
}

int users_add_or_passwd(const Context& ctx, const Args& args, bool add) {
    args.at_most(2);
    const std::string& user = args.need(1, "USER");
    check_username(user);
    std::string path = datadir_path(ctx, "credentials");
    // Ask for the password before taking the lock: a person may take a while to type.
    std::string hash = new_hash(args);
    if (auto pg = pg_database(ctx)) {
        // One statement each, so two admins at once never lose each other's change.
        path = "the database's credentials";
        if (add && !pg->add_credential(user, hash))
            throw UsageError("user '" + user +
                             "' already exists; use `users passwd` to change the password");
        if (!add && !pg->change_credential(user, hash)) no_such_user(ctx, user, path);
    } else {
        DatadirLock lock(ctx.config.datadir);
        Credentials file = parse_credentials_file(path);
        if (add && file.count(user))
            throw UsageError("user '" + user +
                             "' already exists; use `users passwd` to change the password");
        if (!add && !file.count(user)) no_such_user(ctx, user, path);
        file[user] = hash;
        write_credentials_file(path, file);
    }
    if (add) {
        std::cout << "added " << user << "\n";
    } else {
        revoke_tokens(ctx, user);
        database(ctx)->login_throttle({})->clear_user(user);
        std::cout << "changed the password of " << user << "; every token of " << user
                  << " is revoked\n";
    }
    if (setting_credentials(ctx).count(user))
        std::cerr << "warning: '" << user
                  << "' is also in the credentials setting, whose hash wins\n";
    return 0;
}

int users_remove(const Context& ctx, const Args& args) {
    args.at_most(2);
    const std::string& user = args.need(1, "USER");
    check_username(user);
    auto pg = pg_database(ctx);
    if (pg) {
        if (!pg->remove_credential(user)) no_such_user(ctx, user, "the database's credentials");
    } else {
        std::string path = datadir_path(ctx, "credentials");
        DatadirLock lock(ctx.config.datadir);
        Credentials file = parse_credentials_file(path);
        if (!file.count(user)) no_such_user(ctx, user, path);
        file.erase(user);
        write_credentials_file(path, file);
    }
    if (args.has("delete-data")) {
        if (pg) {
            pg->delete_user(user);
        } else {
            std::string data = user_store_path(ctx.config.datadir, user);
            close_databases();
            for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                unlink((data + suffix).c_str());
        }
        std::cout << "removed " << user << " and deleted their data\n";
    } else {
        revoke_tokens(ctx, user);
        std::cout << "removed " << user << "; every token of " << user << " is revoked";
        if (database(ctx)->user_exists(user))
            std::cout << "; their data stays in "
                      << (pg ? data_place(ctx) : user_store_path(ctx.config.datadir, user));
        std::cout << "\n";
    }
    return 0;
}

}  // namespace

int cmd_users(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"long", "password-stdin", "delete-data"}, {"hash"});
    const std::string& action = args.need(0, "what to do: list, add, remove or passwd");
    auto only = [&](std::set<std::string> allowed) {
        for (const auto& [name, value] : args.options)
            if (!allowed.count(name)) throw UsageError("users " + action + " takes no --" + name);
    };
    become_datadir_owner(ctx.config.datadir);
    if (action == "list") {
        only({"long"});
        return users_list(ctx, args);
    }
    if (action == "add" || action == "passwd") {
        only({"hash", "password-stdin"});
        return users_add_or_passwd(ctx, args, action == "add");
    }
    if (action == "remove") {
        only({"delete-data"});
        return users_remove(ctx, args);
    }
    throw UsageError("unknown action '" + action + "': list, add, remove or passwd");
}

int cmd_token(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"reset", "force"}, {});
    args.at_most(1);
    const std::string& user = args.need(0, "USER");
    check_username(user);
    become_datadir_owner(ctx.config.datadir);
    if (!args.has("force") && !database(ctx)->user_exists(user)) {
        Credentials known = load_all_credentials(ctx.config);
        if (!known.count(user))
            throw UsageError(
                "'" + user +
                "' has neither a password nor data here (typo?); --force makes a token anyway");
    }
    std::string key = load_or_create_jwt_key(*database(ctx), ctx.config.datadir);
    auto store = database(ctx)->user_store(user);
    std::string seed = args.has("reset") ? store->reset_seed("apitoken_seed", random_seed)
                                         : store->get_seed("apitoken_seed", random_seed);
    // The year 3000, as TimeTagger's apitokens (and Server::issue_apitoken).
    std::cout << jwt_sign(TokenClaims{user, 32503748400, seed}, key) << "\n";
    return 0;
}

}  // namespace tagwatch::admin
