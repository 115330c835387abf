// Error types of the model and store layers that callers map to HTTP answers.
// BadRequest: the client sent something invalid (400). Anything else is a 500.
#pragma once

#include <stdexcept>
#include <string>

namespace tagwatch {

// Bad client input; the message is meant for the client and says what was wrong.
struct BadRequest : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace tagwatch
