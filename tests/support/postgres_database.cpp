#include "support/postgres_database.hpp"

#include "support/test_support.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace vigil::test {

namespace {

std::string server_dsn() {
    if (const char* dsn = std::getenv("VIGIL_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') return dsn;
    // Not started by scripts/test.sh (a developer running ctest alone): start the throwaway server now.
    const std::string command = source_dir() + "/scripts/postgres.sh start";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    char line[512] = {};
    const bool read = std::fgets(line, sizeof(line), pipe) != nullptr;
    if (::pclose(pipe) != 0 || !read)
        throw std::runtime_error(command +
                                 " failed: set VIGIL_TEST_PG_DSN to a server the tests may create databases on");
    std::string dsn = line;
    while (!dsn.empty() && (dsn.back() == '\n' || dsn.back() == '\r')) dsn.pop_back();
    return dsn;
}

std::string run_scalar(const std::string& dsn, const std::string& sql) {
    PGconn* connection = PQconnectdb(dsn.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error("test PostgreSQL server: " + why);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    std::string value;
    if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) value = PQgetvalue(result, 0, 0);
    const std::string why = PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw std::runtime_error(sql + ": " + why);
    return value;
}

}  // namespace

PostgresDatabase::PostgresDatabase() : server_dsn_(server_dsn()) {
    std::random_device random;
    name_ = "vigil_test_" + std::to_string(random()) + std::to_string(random());
    run_scalar(server_dsn_, "CREATE DATABASE " + name_);
    // The server's DSN names dbname last (scripts/postgres.sh); a later keyword wins in libpq's key=value form.
    dsn_ = server_dsn_ + " dbname=" + name_;
}

PostgresDatabase::~PostgresDatabase() {
    try {
        run_scalar(server_dsn_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& failure) {
        std::fprintf(stderr, "could not drop the test database %s: %s\n", name_.c_str(), failure.what());
    }
}

std::string PostgresDatabase::scalar(const std::string& sql) const {
    return run_scalar(dsn_, sql);
}

}  // namespace vigil::test
