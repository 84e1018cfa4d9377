/** Test support for users of Ominis: a JUnit 5 extension that gives each test class a migrated PostgreSQL database. */
package io.ominis.testing;
