// The route table: every path the program answers, with its method, whether it needs a
// token, and its handler (src/api/handlers.hpp; each handler's comment names its path,
// parameters and answers). Below it the dispatcher, which keeps TimeTagger's order of
// checks (docs/webapi.md): under api/v2/ the token first (401), then the path (404), then
// the method (405); the handler then checks the request itself (413, then 400).
#include <algorithm>
#include <cassert>
#include <optional>

#include "api/handlers.hpp"
#include "api/shares.hpp"

namespace tagwatch {

namespace {

using Access = Server::Access;

struct RouteRow {
    const char* method;  // "*": any method
    const char* path;    // relative to the prefix P; "/" is the site's root, outside P
    Access access;
    RouteHandler handler;
};

// Paths that have several methods list them in the order of the 405 text ("GET and PUT").
constexpr RouteRow kRoutes[] = {
    {"*", "/", Access::open, redirect_site_root},
    {"*", "status", Access::open, get_status},
    {"GET", "api/v2/", Access::open_method, get_api_root},
    {"POST", "api/v2/bootstrap_authentication", Access::open, post_bootstrap_authentication},
    {"GET", "api/v2/login_methods", Access::open, get_login_methods},
    {"GET", "api/v2/version", Access::token, get_version},
    {"GET", "api/v2/updates", Access::token, get_updates},
    {"GET", "api/v2/records", Access::token, get_records},
    {"PUT", "api/v2/records", Access::token, put_records},
    {"GET", "api/v2/settings", Access::token, get_settings},
    {"PUT", "api/v2/settings", Access::token, put_settings},
    {"PUT", "api/v2/forcereset", Access::token, put_forcereset},
    {"GET", "api/v2/webtoken", Access::token, get_webtoken},
    {"GET", "api/v2/apitoken", Access::token, get_apitoken},
    // Extensions of ours: share links and teams.
    {"GET", "api/v2/shares", Access::token, get_shares},
    {"POST", "api/v2/shares", Access::token, post_shares},
    {"DELETE", "api/v2/shares", Access::token, delete_shares},
    {"GET", "api/v2/teams", Access::token, get_teams},
    {"GET", "api/v2/teams/records", Access::token, get_team_records},
};

constexpr std::string_view kApi = "api/v2/";

// HEAD is answered as GET by the paths that need no token (status, the API root), as a web
// server would; the API's own endpoints keep TimeTagger's 405 for it.
bool method_matches(std::string_view route_method, Access access, std::string_view method) {
    if (route_method == "*" || route_method == method) return true;
    return method == "HEAD" && route_method == "GET" && access != Access::token;
}

}  // namespace

void Server::add_route(std::string method, std::string path, Access access, Endpoint endpoint) {
    for (auto& route : routes_) {
        if (route.method == method && route.path == path) {
            route.access = access;
            route.endpoint = std::move(endpoint);
            return;
        }
    }
    routes_.push_back(Route{std::move(method), std::move(path), access, std::move(endpoint)});
}

void Server::add_standard_routes() {
    for (const RouteRow& row : kRoutes) {
        add_route(
            row.method, row.path, row.access,
            [this, fn = row.handler](Request& r, const AuthInfo* a) { return fn(*this, r, a); });
    }
    // One route per path and method: a second row would never be reached.
    assert(std::all_of(routes_.begin(), routes_.end(), [this](const Route& a) {
        return std::count_if(routes_.begin(), routes_.end(), [&a](const Route& b) {
                   return a.path == b.path &&
                          (a.method == b.method || a.method == "*" || b.method == "*");
               }) == 1;
    }));
    assert(routes_.size() == std::size(kRoutes));
}

void Server::add_endpoint(const std::string& method, const std::string& name, bool needs_token,
                          Endpoint endpoint) {
    add_route(method, std::string(kApi) + name, needs_token ? Access::token : Access::open,
              std::move(endpoint));
}

Response Server::handle(Request& request) {
    const std::string& prefix = config_.path_prefix;
    const std::string& path = request.path;
    // The path as the table names it.
    std::string key;
    if (path.empty() || path == "/") {
        key = "/";
    } else if (path.compare(0, prefix.size(), prefix) != 0) {
        throw HttpError(404, "only serving at " + prefix);  // TimeTagger's text
    } else {
        key = path.substr(prefix.size());
        if (key.compare(0, kApi.size(), kApi) == 0) {
            // The endpoint's name is the rest without '/' on either side, as TimeTagger
            // reads it: api/v2/version/, api/v2//version and api/v2/version// are "version".
            std::string_view name = std::string_view(key).substr(kApi.size());
            while (!name.empty() && name.front() == '/') name.remove_prefix(1);
            while (!name.empty() && name.back() == '/') name.remove_suffix(1);
            key = std::string(kApi) + std::string(name);
        }
    }

    std::vector<const Route*> here;  // the routes of this path
    const Route* match = nullptr;
    for (const auto& route : routes_) {
        if (route.path != key) continue;
        here.push_back(&route);
        if (method_matches(route.method, route.access, request.method)) match = &route;
    }
    if (match && match->access != Access::token) return match->endpoint(request, nullptr);
    if (key.compare(0, kApi.size(), kApi) != 0) throw HttpError(404, "not found: " + path);

    const std::string name = key.substr(kApi.size());
    const bool no_token =
        !here.empty() && std::all_of(here.begin(), here.end(),
                                     [](const Route* r) { return r->access == Access::open; });
    std::optional<AuthInfo> auth;
    if (!no_token) auth = authenticate(request);
    // A share link's token reads its report and nothing else, whatever the path.
    if (auth && auth->share) return answer_share(request, name, *auth);
    if (match) return match->endpoint(request, &*auth);
    if (std::all_of(here.begin(), here.end(),
                    [](const Route* r) { return r->access == Access::open_method; }))
        throw HttpError(404, "not found: /" + name + " is not a valid API path");
    std::string list;
    for (size_t i = 0; i < here.size(); ++i) {
        if (i > 0) list += i + 1 == here.size() ? " and " : ", ";
        list += here[i]->method;
    }
    throw HttpError(405, "method not allowed: /" + name + " can only be used with " + list);
}

}  // namespace tagwatch
