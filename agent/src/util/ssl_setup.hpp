#pragma once

namespace vigil {

// Initializes Poco's SSL layer once per process, with a certificate handler that rejects: left alone, Poco would
// create a console handler that prompts whenever a certificate fails verification. Every TLS client calls this
// before its first connection (Graph, the token endpoint, syslog and HTTP receivers).
void initialize_ssl_once();

}  // namespace vigil
