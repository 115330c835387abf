// ConfigError: a bad setting (flag, environment variable, config file line or
// credentials entry). Its message names the setting, the value's origin and what is
// wrong, so start-up can print it and stop.
#pragma once

#include <stdexcept>
#include <string>

namespace tagwatch {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace tagwatch
