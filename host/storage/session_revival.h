// Reconnecting a pooled PostgreSQL session in place after its connection broke (issue 24: the
// database server restarted under load; civhost answers 503 while it is away and recovers by
// itself, without a restart).
#pragma once

namespace soci {
class session;
}

namespace civ::host {

/// When `session`'s PostgreSQL connection is broken, connects it anew with the same parameters
/// and configures it (configurePostgresqlSession); true when it did. The connection is reset in
/// place (libpq's PQreset on the same PGconn) rather than by soci::session::reconnect, which
/// would free the backend that statements kept on this session (KeptQuery) still point to;
/// they are prepared again because the host counts the reconnection. Throws
/// soci::postgresql_soci_error with SQLSTATE 08006 (a storage fault: 503) while the server is
/// still away. Cheap when the connection is fine: a status read, no round trip.
bool reconnectIfBroken(soci::session& session);

}  // namespace civ::host
