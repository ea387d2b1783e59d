#include "event_emitter.hpp"

#include "primary_domain.hpp"

namespace vigil::connectors {

void EventEmitter::start_run() {
    skipped_ = 0;
    refused_ = 0;
    if (!domain_) domain_ = primary_domain(host_);
}

vigil_status EventEmitter::emit(sdk::Event& event) {
    event.where = domain_ ? std::string_view(*domain_) : std::string_view{};  // empty: the host names the tenant id
    const vigil_status status = host_.emit(event);
    if (status == VIGIL_ERR_INVALID_ARGUMENT) {  // the host logged what is wrong with it
        ++refused_;
        return VIGIL_OK;
    }
    return status;
}

void EventEmitter::skip(const std::string& why) {
    if (++skipped_ <= 5) host_.warn("a " + kind_ + " record was skipped: " + why);
}

void EventEmitter::finish_run() const {
    if (skipped_ == 0 && refused_ == 0) return;
    host_.warn(std::to_string(skipped_) + " " + kind_ + " records could not be read and " + std::to_string(refused_) +
               " were refused by the agent this run; the rest were collected");
}

}  // namespace vigil::connectors
