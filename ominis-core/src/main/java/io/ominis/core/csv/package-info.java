/** RFC 4180 CSV read one record at a time and written one row at a time, for bulk imports and exports. */
package io.ominis.core.csv;
