// Logging in (docs/webapi.md, "Logging in"): the handlers of bootstrap_authentication and
// login_methods, and the standard login methods usernamepassword, localhost, proxy and
// webserver.
#include <rapidjson/document.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "api/handlers.hpp"
#include "auth/credentials.hpp"
#include "auth/net.hpp"
#include "auth/password.hpp"
#include "auth/sodium_init.hpp"
#include "http/log.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

constexpr size_t kMaxLoginBody = 64 * 1024;  // a login is a few hundred bytes

// A field of the login body that must be a string when present; "" when missing (as
// TimeTagger reads it: a missing user name or password is a wrong one, never a 400).
// Of a repeated field the last counts, as in Python's json.loads.
std::string string_field(const rapidjson::Value& info, const char* name, const char* missing = "") {
    const rapidjson::Value* found = nullptr;
    for (const auto& member : info.GetObject())
        if (std::string_view(member.name.GetString(), member.name.GetStringLength()) == name)
            found = &member.value;
    if (!found) return missing;
    if (!found->IsString())
        throw HttpError(400, std::string("bad request: '") + name + "' must be a string");
    return std::string(found->GetString(), found->GetStringLength());
}

// The host part of a Host header, lower-cased (host names are case-insensitive).
std::string host_without_port(std::string_view host_header) {
    std::string host = ascii_lower(host_header);
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        return close == std::string::npos ? host : host.substr(0, close + 1);
    }
    auto colon = host.find(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
}

}  // namespace

// P + api/v2/bootstrap_authentication, POST, no token; body: base64 of a JSON object with
// "method" ("unspecified" when missing) and what that method needs. 200 {"token": a new
// webtoken}; 401 "Invalid authentication method: <method>" for a method there is none of;
// 403 from the method (wrong credentials: "Invalid credentials"); 429 too many failures;
// 400 when the body is not base64 of a JSON object or method, username or password is
// present but not a string; 405 (without a token) for another method.
Response post_bootstrap_authentication(Server& server, Request& request, const AuthInfo*) {
    server.jwt_key();  // 503 while no token can be signed: before any password is checked
    const std::string& body = request.body(kMaxLoginBody);
    auto decoded = base64_decode(body);
    if (!decoded) throw HttpError(400, "bad request: the body must be base64 of a JSON object");
    // TimeTagger's own login page sends btoa() of the JSON: Latin-1 bytes, not UTF-8.
    std::string text = valid_utf8(*decoded) ? *decoded : latin1_to_utf8(*decoded);
    rapidjson::Document info;
    info.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(),
                                                                                       text.size());
    if (info.HasParseError() || !info.IsObject())
        throw HttpError(400, "bad request: the body must be base64 of a JSON object");
    std::string method = string_field(info, "method", "unspecified");  // TimeTagger's default
    const LoginMethod* login = server.login_method(method);
    if (!login) throw HttpError(401, "Invalid authentication method: " + method);
    std::string username = (*login)(request, info);
    if (!valid_username(username))
        throw HttpError(403, "forbidden: '" + username + "' is not a valid user name");
    request.user = username;  // the access log says who logged in
    return Response::json("{\"token\": " + json_quote(server.issue_webtoken(username)) + "}");
}

// P + api/v2/login_methods, GET, no token (an extension of ours, for login pages): 200
// {"methods": [...]}, the login methods that can succeed on this server, so that a page
// offers only those (Server::enabled_login_methods). 405 for another method.
Response get_login_methods(Server& server, Request&, const AuthInfo*) {
    std::vector<std::string> names = server.enabled_login_methods();
    std::string out = "{\"methods\": [";
    for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + json_quote(names[i]);
    return Response::json(out + "]}");
}

const LoginMethod* Server::login_method(const std::string& name) const {
    auto it = login_methods_.find(name);
    return it == login_methods_.end() ? nullptr : &it->second;
}

std::vector<std::string> Server::enabled_login_methods() const {
    std::vector<std::string> names;
    auto standard = [&](const char* name, bool on) {
        if (on && login_methods_.count(name)) names.emplace_back(name);
    };
    standard("usernamepassword", !credentials().empty());
    standard("localhost", config_.localhost_login && !config_.proxy_auth_enabled);
    standard("proxy", config_.proxy_auth_enabled);
    standard("webserver", config_.webserver_auth_enabled);
    for (const auto& name : added_login_methods_)
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    return names;
}

void Server::add_login_method(const std::string& name, LoginMethod method) {
    login_methods_[name] = std::move(method);
    if (name != "usernamepassword" && name != "localhost" && name != "proxy" &&
        name != "webserver" &&
        std::find(added_login_methods_.begin(), added_login_methods_.end(), name) ==
            added_login_methods_.end())
        added_login_methods_.push_back(name);
}

Credentials Server::credentials() const {
    try {
        return load_all_credentials(config_);
    } catch (const std::invalid_argument& e) {
        log_message(LogLevel::error, e.what());
        throw HttpError(503,
                        "service unavailable: the server's credentials cannot be read; the server "
                        "log says why");
    }
}

// For a user name that does not exist: one of the configured hashes, picked by a keyed hash
// of the name (keyed with the token key, which no client knows), so one name always costs
// the same and, when the setup mixes kinds or costs, no one can tell from the time which
// cost an unknown name should have had. Null when there are no credentials at all (then no
// name exists, and there is nothing to tell apart).
const std::string* Server::stand_in_hash(const Credentials& credentials,
                                         const std::string& username) {
    if (credentials.empty()) return nullptr;
    ensure_sodium();
    const std::string& secret = jwt_key();
    unsigned char key[crypto_generichash_KEYBYTES];  // of any key file's length
    crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size(), nullptr, 0);
    unsigned char digest[8];
    crypto_generichash(digest, sizeof digest,
                       reinterpret_cast<const unsigned char*>(username.data()), username.size(),
                       key, sizeof key);
    sodium_memzero(key, sizeof key);
    uint64_t pick = 0;
    for (unsigned char b : digest) pick = pick << 8 | b;
    auto it = credentials.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(pick % credentials.size()));
    return &it->second;
}

void Server::add_standard_login_methods() {
    add_login_method("usernamepassword", [this](Request& request, const rapidjson::Value& info) {
        std::string username(trim(string_field(info, "username")));
        std::string password(trim(string_field(info, "password")));
        Credentials credentials = this->credentials();
        if (login_guard_.before) login_guard_.before(request, username);
        auto found = credentials.find(username);
        // Every login checks the password against a hash, and the same one each time for a
        // name: the user's own, or for a name that does not exist a configured user's hash
        // of the kind and cost in use (whose result is ignored). So the time a login takes
        // does not tell which names exist, whatever hashes the setup has, under CGI too.
        const std::string* hash =
            found != credentials.end() ? &found->second : stand_in_hash(credentials, username);
        const bool matches = hash && verify_password(password, *hash);
        const bool ok = found != credentials.end() && !password.empty() && matches;
        if (login_guard_.after) login_guard_.after(request, username, ok);
        if (!ok) throw HttpError(403, "Invalid credentials");
        return username;
    });
    add_login_method("localhost", [this](Request& request, const rapidjson::Value&) {
        if (!config_.localhost_login)
            throw HttpError(403,
                            "forbidden: localhost login is not enabled (setting localhost_login)");
        if (config_.proxy_auth_enabled)
            throw HttpError(403, "forbidden: disabled when proxy auth is available");
        if (!is_loopback(request.remote_addr()))
            throw HttpError(403,
                            "forbidden: localhost login only works from this machine, not from " +
                                request.remote_addr());
        std::string host = host_without_port(request.header("host").value_or(""));
        if (host != "localhost" && host != "127.0.0.1" && host != "[::1]")
            throw HttpError(403, "forbidden: must be on localhost");
        return std::string("defaultuser");
    });
    add_login_method("proxy", [this](Request& request, const rapidjson::Value&) {
        // TimeTagger's texts, word for word.
        if (!config_.proxy_auth_enabled)
            throw HttpError(403, "forbidden: proxy auth is not enabled");
        if (!address_in_list(request.remote_addr(), config_.proxy_auth_trusted))
            throw HttpError(403, "forbidden: the proxy is not trusted");
        std::string user(trim(request.header(config_.proxy_auth_header).value_or("")));
        if (user.empty()) throw HttpError(403, "forbidden: no proxy user provided");
        return user;
    });
    add_login_method("webserver", [this](Request& request, const rapidjson::Value&) {
        if (!config_.webserver_auth_enabled)
            throw HttpError(403,
                            "forbidden: web server authentication is not enabled (setting "
                            "webserver_auth_enabled)");
        const std::string& user = request.var("REMOTE_USER");
        if (user.empty())
            throw HttpError(
                403,
                "forbidden: the web server did not authenticate this request (no REMOTE_USER)");
        return user;
    });
}

}  // namespace tagwatch
