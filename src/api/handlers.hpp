// The handlers of the route table (src/api/routes.cpp), one plain function per path and
// method, named by verb and noun. Each is defined beside its kind (endpoints.cpp for the
// API's data and tokens and the paths around it, login.cpp for logging in, shares.cpp and
// teams.cpp for our extensions) with a comment naming its path, parameters and answers.
// Private to src/api.
#pragma once

#include "api/server.hpp"

namespace tagwatch {

// A handler gets the server, the request and, for a route that needs a token, the checked
// user (null otherwise); it returns the answer or throws HttpError.
using RouteHandler = Response (*)(Server& server, Request& request, const AuthInfo* auth);

Response redirect_site_root(Server&, Request&, const AuthInfo*);
Response get_status(Server&, Request&, const AuthInfo*);
Response get_api_root(Server&, Request&, const AuthInfo*);
Response post_bootstrap_authentication(Server&, Request&, const AuthInfo*);
Response get_login_methods(Server&, Request&, const AuthInfo*);
Response get_version(Server&, Request&, const AuthInfo*);
Response get_updates(Server&, Request&, const AuthInfo*);
Response get_records(Server&, Request&, const AuthInfo*);
Response put_records(Server&, Request&, const AuthInfo*);
Response get_settings(Server&, Request&, const AuthInfo*);
Response put_settings(Server&, Request&, const AuthInfo*);
Response put_forcereset(Server&, Request&, const AuthInfo*);
Response get_webtoken(Server&, Request&, const AuthInfo*);
Response get_apitoken(Server&, Request&, const AuthInfo*);
Response get_shares(Server&, Request&, const AuthInfo*);  // shares.cpp
Response post_shares(Server&, Request&, const AuthInfo*);
Response delete_shares(Server&, Request&, const AuthInfo*);
Response get_teams(Server&, Request&, const AuthInfo*);  // teams.cpp
Response get_team_records(Server&, Request&, const AuthInfo*);

}  // namespace tagwatch
