#pragma once

#include "config/config.hpp"
#include "plugins/plugin_registry.hpp"

#include <Poco/Util/ServerApplication.h>

#include <memory>

namespace vigil {

// `vigil run` as a Poco ServerApplication: the seam where the daemon (Linux) and service (Windows) modes plug in.
// The configuration is already loaded and valid when it is constructed.
class AgentApplication : public Poco::Util::ServerApplication {
public:
    AgentApplication(std::unique_ptr<Config> config, std::unique_ptr<PluginRegistry> registry, bool once);

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    std::unique_ptr<Config> config_;
    std::unique_ptr<PluginRegistry> registry_;
    bool once_;
};

}  // namespace vigil
