// tagwatch-admin migrate: moves everything between a data folder (TimeTagger's too) and a
// PostgreSQL database, either way: every user's items byte for byte (their _ob texts and
// st, t1, t2 columns as stored, the token seeds among them), the JWT key and the
// credentials, so every token stays valid and the folder can move back.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "admin/admin.hpp"
#include "auth/credentials.hpp"
#include "store/datafolder.hpp"
#include "store/naming.hpp"
#include "store/pg_store.hpp"
#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace tagwatch::admin {

const char* const kMigrateHelp =
    "Usage: tagwatch-admin migrate FROM TO\n"
    "Copies everything from FROM to TO, where one is a data folder (a path; TimeTagger's\n"
    "works as it is) and the other a PostgreSQL database (a postgresql:// URI or libpq\n"
    "key=value words). Every user's records, settings and token seeds are copied as\n"
    "stored, byte for byte (share links among them), with jwt.key, the credentials and the\n"
    "teams, so every token and link stays valid.\n"
    "TO must be empty: a database without tagwatch data (its schema is made), or a folder\n"
    "that is missing or empty. All or nothing: on a failure TO is left as it was. Stop the\n"
    "server (or point it at TO) first: writes made during the copy are not carried over.\n";

namespace {

bool is_database(const std::string& where) {
    return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0 ||
           where.find('=') != std::string::npos;
}

// The items of one table of a user file, as stored.
std::vector<RawItem> read_table(sqlite::Connection& db, const std::string& table, bool times) {
    std::vector<RawItem> items;
    sqlite::Statement q(db, "SELECT key, _ob, st" + std::string(times ? ", t1, t2" : "") +
                                " FROM " + table + " ORDER BY key");
    sqlite::Run r(q);
    while (r.step()) {
        RawItem item;
        item.key = std::string(r.text(0));
        item.ob = std::string(r.text(1));
        if (r.is_number(2)) item.st = r.real(2);
        if (times) {
            if (r.is_number(3)) item.t1 = r.int64(3);
            if (r.is_number(4)) item.t2 = r.int64(4);
        }
        items.push_back(std::move(item));
    }
    return items;
}

void write_table(sqlite::Connection& db, const std::string& table,
                 const std::vector<RawItem>& items, bool times) {
    sqlite::Statement q(db, "INSERT INTO " + table + " (key, _ob, st" +
                                std::string(times ? ", t1, t2" : "") + ") VALUES (?1, ?2, ?3" +
                                (times ? ", ?4, ?5" : "") + ")");
    for (const auto& item : items) {
        sqlite::Run r(q);
        r.bind(1, std::string_view(item.key)).bind(2, std::string_view(item.ob));
        if (item.st) r.bind(3, *item.st);
        if (times) {
            if (item.t1) r.bind(4, *item.t1);
            if (item.t2) r.bind(5, *item.t2);
        }
        r.step();
    }
}

bool folder_is_empty(const std::string& dir) {
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0) return true;
    if (!S_ISDIR(st.st_mode)) throw UsageError(dir + " is not a folder");
    std::vector<std::string> stray;
    return user_files(dir, &stray).empty() && stray.empty() &&
           stat((dir + "/jwt.key").c_str(), &st) != 0 &&
           stat((dir + "/credentials").c_str(), &st) != 0 &&
           stat(teams_path(dir).c_str(), &st) != 0;
}

int folder_to_database(const std::string& from, const std::string& to) {
    struct stat st {};
    if (stat(from.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw UsageError(from + " is not a data folder");
    auto target = std::make_shared<PgDatabase>(to);
    target->startup_check();
    if (!target->users().empty() || target->stored_jwt_key() || !target->teams()->list().empty() ||
        !target->shared_credentials()->empty())
        throw std::runtime_error(
            "the database already holds tagwatch data: migrate copies into an empty one");
    std::vector<std::string> stray;
    const auto files = user_files(from, &stray);
    for (const auto& s : stray)
        std::cerr << "warning: " << from << "/users/" << s << " is not a user file, skipped\n";
    std::string key;
    if (stat((from + "/jwt.key").c_str(), &st) == 0) key = read_file(from + "/jwt.key");
    const Credentials credentials = parse_credentials_file(from + "/credentials");
    std::vector<Team> teams;
    if (stat(teams_path(from).c_str(), &st) == 0) teams = TeamsFile(teams_path(from), "wal").list();
    size_t items = 0;
    target->all_or_nothing([&] {
        for (const auto& [user, name] : files) {
            sqlite::Connection db(from + "/users/" + name, sqlite::Open::read_write);
            // One snapshot of the file for its three tables.
            db.exec("BEGIN");
            RawUser raw;
            raw.records = read_table(db, "records", true);
            raw.settings = read_table(db, "settings", false);
            raw.userinfo = read_table(db, "userinfo", false);
            db.exec("COMMIT");
            items += raw.records.size() + raw.settings.size() + raw.userinfo.size();
            target->write_raw(user, raw);
        }
        if (!key.empty()) target->set_jwt_key(key);
        target->set_credentials(credentials);
        for (const auto& team : teams) target->teams()->add(team);
    });
    std::cout << "copied " << files.size() << " user(s) with " << items << " item(s)"
              << (key.empty() ? "" : ", jwt.key") << ", " << teams.size() << " team(s) and "
              << credentials.size() << " credential(s) into " << pg::redact(to) << "\n";
    return 0;
}

int database_to_folder(const std::string& from, const std::string& to,
                       const std::string& journal_mode) {
    auto source = std::make_shared<PgDatabase>(from);
    source->startup_check();
    if (!folder_is_empty(to))
        throw std::runtime_error(to + " is not empty: migrate copies into an empty folder");
    // Everything goes into a folder beside the target first, which then takes its place.
    std::string parent = to;
    while (parent.size() > 1 && parent.back() == '/') parent.pop_back();
    const std::string work = parent + ".migrating-" + std::to_string(getpid());
    make_private_dirs(work + "/users");
    size_t items = 0;
    std::vector<std::string> users;
    try {
        users = source->users();
        for (const auto& user : users) {
            const RawUser raw = source->read_raw(user);
            const std::string path = user_store_path(work, user);
            UserFile(path, journal_mode).close();  // TimeTagger's schema, as the server makes it
            {
                sqlite::Connection db(path, sqlite::Open::read_write);
                sqlite::Transaction txn(db);
                write_table(db, "records", raw.records, true);
                write_table(db, "settings", raw.settings, false);
                write_table(db, "userinfo", raw.userinfo, false);
                txn.commit();
                db.checkpoint();  // the .db alone holds it all, as after a clean stop
            }
            items += raw.records.size() + raw.settings.size() + raw.userinfo.size();
        }
        if (auto key = source->stored_jwt_key())
            write_file_atomically(work + "/jwt.key", *key, 0600);
        const auto credentials = source->shared_credentials().value_or(Credentials{});
        if (!credentials.empty()) write_credentials_file(work + "/credentials", credentials);
        const auto teams = source->teams()->list();
        if (!teams.empty()) {
            TeamsFile file(teams_path(work), journal_mode);
            for (const auto& team : teams) file.add(team);
            file.close();
        }
        rmdir(to.c_str());  // an empty folder makes way (rename would refuse a non-empty one)
        if (rename(work.c_str(), to.c_str()) != 0)
            throw std::runtime_error("cannot move " + work + " to " + to + ": " +
                                     std::strerror(errno));
        std::cout << "copied " << users.size() << " user(s) with " << items << " item(s) from "
                  << pg::redact(from) << " into " << to << "\n";
    } catch (...) {
        for (const auto& user : users) {
            const std::string p = user_store_path(work, user);
            for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                unlink((p + suffix).c_str());
        }
        unlink((work + "/jwt.key").c_str());
        unlink((work + "/credentials").c_str());
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            unlink((teams_path(work) + suffix).c_str());
        rmdir((work + "/users").c_str());
        rmdir(work.c_str());
        throw;
    }
    return 0;
}

}  // namespace

int cmd_migrate(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {}, {});
    args.at_most(2);
    const std::string& from = args.need(0, "FROM (a data folder or a database)");
    const std::string& to = args.need(1, "TO (a database or a data folder)");
    const bool from_db = is_database(from), to_db = is_database(to);
    if (from_db == to_db)
        throw UsageError(
            "one of FROM and TO must be a data folder and the other a database (postgresql://...)");
    for (const auto& where : {from, to})
        if (is_database(where)) {
            try {
                pg::check_conninfo(where);
            } catch (const std::invalid_argument& e) {
                throw UsageError("bad connection string: " + std::string(e.what()));
            }
        }
    if (!from_db) become_datadir_owner(from);
    return to_db ? folder_to_database(from, to)
                 : database_to_folder(from, to, ctx.config.journal_mode);
}

}  // namespace tagwatch::admin
