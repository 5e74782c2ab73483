global using System;
global using System.Collections.Generic;
global using System.Diagnostics;
global using System.Linq;
global using System.Threading;
global using System.Threading.Tasks;
global using Flows;
global using Flows.IntegrationTests.Support;
global using Xunit;

// System.Diagnostics.EventLog arrives with the Durable Task packages (through the samples, which are durable): the
// tests' own EventLog is meant.
global using EventLog = Flows.IntegrationTests.Support.EventLog;
