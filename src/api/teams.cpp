// Teams (shares.hpp): the teams a user manages or belongs to, and a team's records for its
// managers. Teams are made by the administrator (tagwatch-admin teams); every request reads
// them anew, so a person removed from a team loses access at the next request.
#include <algorithm>

#include "api/handlers.hpp"
#include "api/shares.hpp"
#include "model/select.hpp"
#include "store/store.hpp"

namespace tagwatch {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

// P + api/v2/teams, GET, webtoken: 200 {"teams": [...]}, the teams the user manages or
// belongs to, with the user's role in each ("manager" wins when both), so that members see
// who can see their time. 403 with an apitoken.
Response get_teams(Server& server, Request&, const AuthInfo* auth) {
    require_webtoken(auth, "/teams");
    std::string out = "{\"teams\": [";
    bool first = true;
    for (const auto& team : server.database()->teams()->teams_of(auth->username)) {
        if (!first) out += ", ";
        first = false;
        out += "{\"name\": " + json_quote(team.name) +
               ", \"managers\": " + json_string_list(team.managers) +
               ", \"members\": " + json_string_list(team.members) +
               ", \"tags\": " + json_string_list(team.tags) + ", \"role\": \"" +
               (contains(team.managers, auth->username) ? "manager" : "member") + "\"}";
    }
    return Response::json(out + "]}");
}

// P + api/v2/teams/records?team=NAME&timerange=A-B (and records' other filters), GET,
// webtoken of a manager: 200 {"records": [...]}, the members' records in the range, never
// hidden ones, only those with one of the team's tags when it has any, each with "user".
// 403 for anyone but a manager of the team, whether or not the team exists; 400 without a
// team or a good timerange.
Response get_team_records(Server& server, Request& request, const AuthInfo* auth) {
    require_webtoken(auth, "/teams/records");
    auto name = request.query_param("team");
    if (!name || name->empty()) throw HttpError(400, "bad request: the team parameter is required");
    RecordFilter filter = records_query(request);
    auto team = server.database()->teams()->get(*name);
    if (!team || !contains(team->managers, auth->username))
        throw HttpError(
            403, "forbidden: only a manager of the team '" + *name + "' can read its records");
    if (filter.hidden.value_or(false)) return Response::json("{\"records\": []}");
    filter.hidden = false;
    std::string out = "{\"records\": [";
    bool first = true;
    for (const auto& member : team->members) {
        auto store = server.database()->user_store(member, false);
        if (!store) continue;  // no data yet
        Selection sel = select_records(store->get_records_json(filter), team->tags, false, member);
        if (!sel.count) continue;
        if (!first) out += ", ";
        first = false;
        out.append(sel.json, 1, sel.json.size() - 2);  // the items without the brackets
    }
    return Response::json(out + "]}");
}

}  // namespace tagwatch
