#pragma once

#include <string>

namespace vigil::test {

// A fresh, empty database on the test PostgreSQL server, dropped when this goes. The server is the one named by
// VIGIL_TEST_PG_DSN (scripts/test.sh starts one), else the one scripts/postgres.sh starts on first use. Tests running
// in parallel each get their own database.
class PostgresDatabase {
public:
    PostgresDatabase();
    ~PostgresDatabase();
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    const std::string& dsn() const { return dsn_; }
    // Runs one SQL statement on this database and returns the first column of the first row ("" when none).
    std::string scalar(const std::string& sql) const;

private:
    std::string server_dsn_;
    std::string name_;
    std::string dsn_;
};

}  // namespace vigil::test
