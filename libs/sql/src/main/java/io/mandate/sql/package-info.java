/**
 * Plain SQL for the services: {@link io.mandate.sql.Sql} runs statements with numbered parameters in the
 * caller's transaction and maps rows through {@link io.mandate.sql.Row}; {@link io.mandate.sql.Fields}
 * reads and inserts row classes (public fields named for the columns). Each service writes its own
 * statements in its repositories; there is no ORM and no entity state to flush.
 */
package io.mandate.sql;
