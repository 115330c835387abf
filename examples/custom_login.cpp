// An example program on libtagwatch: the standard server plus a login method of its own,
// "sharedsecret", which logs a user in when the client knows a secret from the
// environment (CUSTOM_LOGIN_SECRET), an extra endpoint, GET api/v2/whoami, and an audit
// log of its own (CUSTOM_LOGIN_AUDIT_LOG).
// Built by `make` into build/examples/custom_login and tested by `make test`.
#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tagwatch.hpp"

int main(int argc, char** argv) {
    tagwatch::StartupOptions options = tagwatch::startup_options_or_exit(argc, argv);
    try {
        tagwatch::Server server(options.config);

        // The equivalent of TimeTagger's get_webtoken_unsafe: decide who the user is, and
        // the server issues the webtoken. Refuse by throwing HttpError.
        server.add_login_method(
            "sharedsecret", [](tagwatch::Request&, const rapidjson::Value& info) {
                const char* secret = std::getenv("CUSTOM_LOGIN_SECRET");
                auto given = info.FindMember("secret");
                auto user = info.FindMember("username");
                if (!secret || given == info.MemberEnd() || user == info.MemberEnd() ||
                    !given->value.IsString() || !user->value.IsString())
                    throw tagwatch::HttpError(403, "forbidden: the shared secret is missing");
                std::string text(given->value.GetString(), given->value.GetStringLength());
                std::string want(secret);
                if (text.size() != want.size() ||
                    sodium_memcmp(text.data(), want.data(), want.size()) != 0)
                    throw tagwatch::HttpError(403, "forbidden: the shared secret is wrong");
                return std::string(user->value.GetString(), user->value.GetStringLength());
            });

        // An endpoint beside the API, behind the same token check.
        server.add_endpoint(
            "GET", "whoami", true, [](tagwatch::Request&, const tagwatch::AuthInfo* auth) {
                return tagwatch::Response::json(
                    "{\"username\": " + tagwatch::json_quote(auth->username) +
                    ", \"apitoken\": " + (auth->is_apitoken ? "true" : "false") + "}");
            });

        // An audit log of its own beside the access log: one line per request (user, method,
        // path, status) appended to the file named by CUSTOM_LOGIN_AUDIT_LOG. It throws when
        // the file cannot be written; the request has been answered by then, the library
        // logs the failure and the worker serves on.
        tagwatch::RequestLogger audit;
        if (const char* file = std::getenv("CUSTOM_LOGIN_AUDIT_LOG")) {
            audit = [path = std::string(file)](const tagwatch::Request& r,
                                               const tagwatch::Response& a, double) {
                std::ofstream out(path, std::ios::app);
                out << (r.user.empty() ? "-" : r.user) << ' ' << r.method << ' ' << r.path << ' '
                    << a.status << '\n';
                if (!out.flush())
                    throw std::runtime_error("cannot append to the audit log " + path);
            };
        }
        return tagwatch::run(server, options, audit);
    } catch (const std::exception& e) {
        return tagwatch::fail_to_start(e);
    }
}
