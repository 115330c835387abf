// AuthError: the one exception type of src/auth for anything a client should see
// (401 unauthorized, 403 forbidden, 429 too many requests). The API layer maps it
// to an HTTP answer with this status and message as the plain-text body.
#pragma once

#include <stdexcept>
#include <string>

namespace tagwatch {

struct AuthError : std::runtime_error {
    int status;
    std::string message;
    AuthError(int status_, std::string message_)
        : std::runtime_error(message_), status(status_), message(std::move(message_)) {}
};

}  // namespace tagwatch
