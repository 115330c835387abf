// The one error type of tagwatch. Every layer (model, store, auth, http, api) throws
// HttpError for anything a client should hear about: an HTTP status, a plain-text message
// that says what was wrong, and optionally how many seconds to wait before trying again.
// One place (the adapter's request guard) turns it into an answer; anything else that
// escapes a handler is a bug and answers a generic 500.
//
// Statuses with one meaning each: 400 bad input, 401 no valid token, 403 not allowed,
// 404 no such path, 405 wrong method, 413 body too large, 429 too many attempts,
// 503 the store cannot answer now (locked, disk full, database unreachable).
#pragma once

#include <stdexcept>
#include <string>

namespace tagwatch {

struct HttpError : std::runtime_error {
    int status;
    long retry_after;  // seconds for a Retry-After header; 0 means none

    HttpError(int status_, const std::string& message, long retry_after_ = 0)
        : std::runtime_error(message), status(status_), retry_after(retry_after_) {}
};

}  // namespace tagwatch
