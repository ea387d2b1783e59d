#pragma once

#include "config/config.hpp"
#include "plugins/plugin_registry.hpp"

#include <Poco/Util/ServerApplication.h>

#include <memory>
#include <string>

namespace vigil {

// `vigil run` as a Poco ServerApplication: the seam where the daemon (Linux) and service (Windows) modes plug in.
// The configuration is already loaded and valid when it is constructed. SIGHUP reloads it from config_file: a valid
// new configuration replaces the running agent (every job stops at a page boundary, outputs get a few seconds to
// deliver, then the new agent starts from the same spool, so checkpoints and undelivered events carry over); an
// invalid one is logged with its problems and the running agent goes on untouched.
class AgentApplication : public Poco::Util::ServerApplication {
public:
    AgentApplication(std::string config_file, std::unique_ptr<Config> config, std::unique_ptr<PluginRegistry> registry,
                     bool once);

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    std::string config_file_;
    std::unique_ptr<Config> config_;
    std::unique_ptr<PluginRegistry> registry_;
    bool once_;
};

}  // namespace vigil
