#pragma once

#include "emulator.hpp"

#include <set>
#include <string>

namespace vigil::test {

// The ground truth of a tenant's billable accounts in the emulated directory: enabled users holding a licence, and
// how many of them are (transitive) members of the service-account group named group_name.
struct ExpectedBillable {
    size_t enabled_licensed = 0;
    size_t service_accounts = 0;
};

inline ExpectedBillable expected_billable(emulator::GraphEmulator& emulator, const std::string& tenant_id,
                                          const std::string& group_name) {
    ExpectedBillable expected;
    emulator.directory(tenant_id).read([&](const emulator::Directory& directory) {
        std::set<std::string> members;
        for (const auto& group : directory.groups()) {
            if (group.display_name != group_name) continue;
            for (const auto& id : directory.transitive_members(group.id)) members.insert(id);
        }
        for (const auto& user : directory.users()) {
            if (!user.account_enabled || !user.licensed) continue;
            ++expected.enabled_licensed;
            expected.service_accounts += members.count(user.id);
        }
    });
    return expected;
}

}  // namespace vigil::test
