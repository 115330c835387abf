// tagwatch-admin teams: the teams whose managers see their members' time (docs/webapi.md,
// "Teams"), kept in the shared state beside the users' data (<datadir>/teams.db). Every
// change is in effect for the server's next request.
#include <iostream>

#include "admin/admin.hpp"
#include "auth/credentials.hpp"
#include "model/select.hpp"
#include "store/store.hpp"
#include "util/utf8.hpp"

namespace tagwatch::admin {

const char* const kTeamsHelp =
    "Usage: tagwatch-admin teams add NAME --manager USER --member USER [--tag TAG]\n"
    "       tagwatch-admin teams change NAME [--add-manager USER] [--remove-manager USER]\n"
    "                 [--add-member USER] [--remove-member USER] [--add-tag TAG] [--remove-tag "
    "TAG]\n"
    "       tagwatch-admin teams remove NAME\n"
    "       tagwatch-admin teams list\n"
    "       tagwatch-admin teams show NAME\n"
    "A team's managers see its members' records in the web app's team report (and through\n"
    "GET api/v2/teams/records); with tags, only the records that carry one of them. Members\n"
    "see on their account page who can see which of their time. Every option may be given\n"
    "several times. Changes take effect at the server's next request.\n"
    "  add      a new team: at least one --manager and one --member\n"
    "  change   adds or removes people and tags\n"
    "  remove   removes the team (its people's data stays)\n"
    "  list     every team, one a line: name, managers, members, tags\n"
    "  show     one team, a line each for its managers, members and tags\n";

namespace {

void check_team_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 100 && valid_utf8(name);
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) ok = false;
    if (!ok)
        throw UsageError(
            "'" + name +
            "' is not a valid team name (1 to 100 bytes of UTF-8, no control characters)");
}

std::vector<std::string> users_of(const Args& args, const std::string& option) {
    std::vector<std::string> users = args.all(option);
    for (const auto& u : users)
        if (!valid_username(u))
            throw UsageError("--" + option + ": '" + u + "' is not a valid user name");
    return users;
}

std::vector<std::string> tags_of(const Args& args, const std::string& option) {
    std::vector<std::string> tags;
    for (const auto& t : args.all(option)) {
        std::string tag = normalize_tag(t);
        if (tag.empty()) throw UsageError("--" + option + ": '" + t + "' is not a tag");
        tags.push_back(tag);
    }
    return tags;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
    return out.empty() ? "-" : out;
}

void print_team(const Team& t) {
    std::cout << "team:     " << t.name << "\n"
              << "managers: " << joined(t.managers) << "\n"
              << "members:  " << joined(t.members) << "\n"
              << "tags:     "
              << (t.tags.empty() ? "- (all of the members' records)" : joined(t.tags)) << "\n";
}

void remove_all(std::vector<std::string>& list, const std::vector<std::string>& gone) {
    std::erase_if(list, [&](const std::string& x) {
        return std::find(gone.begin(), gone.end(), x) != gone.end();
    });
}

}  // namespace

int cmd_teams(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {},
                           {"manager", "member", "tag", "add-manager", "remove-manager",
                            "add-member", "remove-member", "add-tag", "remove-tag"});
    const std::string& action = args.need(0, "action (add, change, remove, list or show)");
    auto only = [&](std::initializer_list<const char*> allowed) {
        for (const auto& [name, value] : args.given) {
            bool ok = false;
            for (const char* a : allowed) ok = ok || name == a;
            if (!ok) throw UsageError("teams " + action + " takes no --" + name);
        }
    };
    // As root on the web server's data folder: work as its owner, so that the server can
    // open the teams' file this makes.
    const std::string note = become_datadir_owner(datadir_path(ctx));
    if (!note.empty()) std::cerr << "note: " << note << "\n";
    auto teams = [&] { return database(ctx)->teams(); };

    if (action == "list") {
        args.at_most(1);
        only({});
        for (const auto& t : teams()->list())
            std::cout << t.name << "\tmanagers: " << joined(t.managers)
                      << "\tmembers: " << joined(t.members) << "\ttags: " << joined(t.tags) << "\n";
        return 0;
    }
    const std::string& name = args.need(1, "team name");
    args.at_most(2);
    check_team_name(name);
    if (action == "show") {
        only({});
        auto t = teams()->get(name);
        if (!t) throw std::runtime_error("no team named '" + name + "'");
        print_team(*t);
        return 0;
    }
    if (action == "remove") {
        only({});
        if (!teams()->remove(name)) throw std::runtime_error("no team named '" + name + "'");
        std::cout << "removed team " << name << "\n";
        return 0;
    }
    if (action == "add") {
        only({"manager", "member", "tag"});
        Team t{name, users_of(args, "manager"), users_of(args, "member"), tags_of(args, "tag")};
        if (t.managers.empty() || t.members.empty())
            throw UsageError("a team needs at least one --manager and one --member");
        normalize_team(t);
        if (!teams()->add(t))
            throw std::runtime_error("a team named '" + name + "' exists (see teams change)");
        print_team(t);
        return 0;
    }
    if (action == "change") {
        only({"add-manager", "remove-manager", "add-member", "remove-member", "add-tag",
              "remove-tag"});
        if (args.given.empty()) throw UsageError("teams change needs something to change");
        const auto add_managers = users_of(args, "add-manager"),
                   gone_managers = users_of(args, "remove-manager");
        const auto add_members = users_of(args, "add-member"),
                   gone_members = users_of(args, "remove-member");
        const auto add_tags = tags_of(args, "add-tag"), gone_tags = tags_of(args, "remove-tag");
        Team changed;
        const bool found = teams()->change(name, [&](Team& t) {
            remove_all(t.managers, gone_managers);
            remove_all(t.members, gone_members);
            remove_all(t.tags, gone_tags);
            t.managers.insert(t.managers.end(), add_managers.begin(), add_managers.end());
            t.members.insert(t.members.end(), add_members.begin(), add_members.end());
            t.tags.insert(t.tags.end(), add_tags.begin(), add_tags.end());
            normalize_team(t);
            changed = t;
        });
        if (!found) throw std::runtime_error("no team named '" + name + "'");
        print_team(changed);
        if (changed.managers.empty())
            std::cout << "note: the team has no manager now: nobody sees its records\n";
        return 0;
    }
    throw UsageError("unknown action '" + action + "' (add, change, remove, list or show)");
}

}  // namespace tagwatch::admin
