// The teams' SQLite file (datafolder.hpp): <datadir>/teams.db beside users/, where
// TimeTagger never looks. Three tables: the teams, their people with a role each, their
// tags. Every call reads the file anew (no cache), so a change made by tagwatch-admin is
// in effect for the next request of every process.
#include <stdexcept>

#include "store/datafolder.hpp"
#include "store/sqlite.hpp"

namespace tagwatch {

namespace {

using sqlite::Run;
using sqlite::Statement;

void set_up(sqlite::Connection& conn, const std::string& journal_mode) {
    conn.set_journal_mode(journal_mode);
    conn.exec("PRAGMA synchronous=FULL");  // an administrator's change survives a power cut
    conn.exec(
        "CREATE TABLE IF NOT EXISTS teams (name TEXT NOT NULL PRIMARY KEY);"
        "CREATE TABLE IF NOT EXISTS team_people (team TEXT NOT NULL, username TEXT NOT NULL, "
        "role TEXT NOT NULL, PRIMARY KEY (team, role, username));"
        "CREATE INDEX IF NOT EXISTS idx_team_people_username ON team_people (username);"
        "CREATE TABLE IF NOT EXISTS team_tags (team TEXT NOT NULL, tag TEXT NOT NULL, "
        "PRIMARY KEY (team, tag));");
}

// The stored team of that name (people and tags), or nothing.
std::optional<Team> read_team(sqlite::Connection& c, const std::string& name) {
    {
        Statement q(c, "SELECT 1 FROM teams WHERE name = ?1");
        Run r(q);
        r.bind(1, std::string_view(name));
        if (!r.step()) return std::nullopt;
    }
    Team team;
    team.name = name;
    {
        Statement q(c, "SELECT role, username FROM team_people WHERE team = ?1 ORDER BY username");
        Run r(q);
        r.bind(1, std::string_view(name));
        while (r.step())
            (r.text(0) == "manager" ? team.managers : team.members).emplace_back(r.text(1));
    }
    {
        Statement q(c, "SELECT tag FROM team_tags WHERE team = ?1 ORDER BY tag");
        Run r(q);
        r.bind(1, std::string_view(name));
        while (r.step()) team.tags.emplace_back(r.text(0));
    }
    normalize_team(team);
    return team;
}

std::vector<Team> read_teams(sqlite::Connection& c, const char* names_sql,
                             std::string_view param = {}) {
    std::vector<std::string> names;
    {
        Statement q(c, names_sql);
        Run r(q);
        if (!param.empty()) r.bind(1, param);
        while (r.step()) names.emplace_back(r.text(0));
    }
    std::vector<Team> teams;
    for (const auto& n : names)
        if (auto t = read_team(c, n)) teams.push_back(std::move(*t));
    return teams;
}

// Writes the people and tags of `team` (its row exists), replacing what was stored.
void write_members(sqlite::Connection& c, Team team) {
    normalize_team(team);
    for (const char* sql :
         {"DELETE FROM team_people WHERE team = ?1", "DELETE FROM team_tags WHERE team = ?1"}) {
        Statement del(c, sql);
        Run(del).bind(1, std::string_view(team.name)).step();
    }
    Statement person(c, "INSERT INTO team_people (team, username, role) VALUES (?1, ?2, ?3)");
    for (const auto& [role, list] :
         {std::pair<const char*, const std::vector<std::string>*>{"manager", &team.managers},
          {"member", &team.members}})
        for (const auto& u : *list)
            Run(person)
                .bind(1, std::string_view(team.name))
                .bind(2, std::string_view(u))
                .bind(3, std::string_view(role))
                .step();
    Statement tag(c, "INSERT INTO team_tags (team, tag) VALUES (?1, ?2)");
    for (const auto& t : team.tags)
        Run(tag).bind(1, std::string_view(team.name)).bind(2, std::string_view(t)).step();
}

}  // namespace

struct TeamsFile::Impl {
    sqlite::SharedFile file;
    Impl(const std::string& path, const std::string& journal_mode)
        : file(path, [journal_mode](sqlite::Connection& c) { set_up(c, journal_mode); }) {}
};

TeamsFile::TeamsFile(std::string path, std::string journal_mode)
    : path_(std::move(path)), journal_mode_(std::move(journal_mode)) {
    if (journal_mode_ != "wal" && journal_mode_ != "delete")
        throw std::invalid_argument("teams: journal_mode must be wal or delete, not " +
                                    journal_mode_);
    impl_ = std::make_unique<Impl>(path_, journal_mode_);
}

TeamsFile::~TeamsFile() = default;

void TeamsFile::close() { impl_->file.close(); }

std::vector<Team> TeamsFile::list() {
    return impl_->file.run([](sqlite::Connection& c) {
        return read_teams(c, "SELECT name FROM teams ORDER BY name");
    });
}

std::optional<Team> TeamsFile::get(const std::string& name) {
    return impl_->file.run([&](sqlite::Connection& c) { return read_team(c, name); });
}

std::vector<Team> TeamsFile::teams_of(const std::string& username) {
    return impl_->file.run([&](sqlite::Connection& c) {
        return read_teams(
            c, "SELECT DISTINCT team FROM team_people WHERE username = ?1 ORDER BY team", username);
    });
}

bool TeamsFile::add(const Team& team) {
    return impl_->file.run([&](sqlite::Connection& c) {
        sqlite::Transaction txn(c);
        if (read_team(c, team.name)) return false;
        Statement ins(c, "INSERT INTO teams (name) VALUES (?1)");
        Run(ins).bind(1, std::string_view(team.name)).step();
        write_members(c, team);
        txn.commit();
        return true;
    });
}

bool TeamsFile::change(const std::string& name, const std::function<void(Team&)>& change) {
    return impl_->file.run([&](sqlite::Connection& c) {
        sqlite::Transaction txn(c);
        auto team = read_team(c, name);
        if (!team) return false;
        change(*team);
        team->name = name;
        write_members(c, *team);
        txn.commit();
        return true;
    });
}

bool TeamsFile::remove(const std::string& name) {
    return impl_->file.run([&](sqlite::Connection& c) {
        sqlite::Transaction txn(c);
        Statement del(c, "DELETE FROM teams WHERE name = ?1");
        Run(del).bind(1, std::string_view(name)).step();
        const bool removed = sqlite3_changes(c.get()) > 0;
        for (const char* sql :
             {"DELETE FROM team_people WHERE team = ?1", "DELETE FROM team_tags WHERE team = ?1"}) {
            Statement d(c, sql);
            Run(d).bind(1, std::string_view(name)).step();
        }
        txn.commit();
        return removed;
    });
}

}  // namespace tagwatch
