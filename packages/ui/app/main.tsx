/** Entry point: the layout (skip link, navigation, main region), the page for the URL, the token prompt. */
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { setTokenAsker } from "./api/client";
import { TokenDialog } from "./components/dialogs";
import { Link } from "./components/link";
import { ComparePage } from "./pages/compare";
import { DatasetsPage } from "./pages/datasets";
import { EndpointsPage } from "./pages/endpoints";
import { ExperimentsPage } from "./pages/experiments";
import { ModelsPage } from "./pages/models";
import { MonitoringPage } from "./pages/monitoring";
import { PipelinesPage } from "./pages/pipelines";
import { RunPage } from "./pages/run";
import { useLocation } from "./router";
import "./styles.css";

const NAV: [string, string][] = [
  ["experiments", "Experiments"],
  ["models", "Models"],
  ["datasets", "Datasets"],
  ["endpoints", "Endpoints"],
  ["monitoring", "Monitoring"],
  ["pipelines", "Pipelines"],
];

function Page() {
  const { segments } = useLocation();
  const [section = "experiments", id] = segments;
  useEffect(() => {
    document.title = `${section[0]!.toUpperCase()}${section.slice(1)}${id ? ` ${id}` : ""} · Keel`;
  }, [section, id]);
  switch (section) {
    case "experiments":
      return <ExperimentsPage experimentId={id} />;
    case "runs":
      return id ? <RunPage runId={id} /> : <ExperimentsPage />;
    case "compare":
      return <ComparePage />;
    case "models":
      return <ModelsPage name={id} />;
    case "datasets":
      return <DatasetsPage name={id} />;
    case "endpoints":
      return <EndpointsPage name={id} />;
    case "monitoring":
      return <MonitoringPage />;
    case "pipelines":
      return <PipelinesPage />;
    default:
      return <p>No page here. Pick a section above.</p>;
  }
}

function App() {
  const { segments } = useLocation();
  const current =
    segments[0] === "runs" || segments[0] === "compare" || !segments[0] ? "experiments" : segments[0];
  const [ask, setAsk] = useState<{ reason: string; resolve: (t: string) => void } | null>(null);
  useEffect(() => setTokenAsker((reason) => new Promise((resolve) => setAsk({ reason, resolve }))), []);
  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <Link to="/experiments" className="brand">
          Keel
        </Link>
        <nav aria-label="Sections">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={`/${to}`} aria-current={current === to ? "page" : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
      {ask && (
        <TokenDialog
          reason={ask.reason}
          onSubmit={(t) => {
            ask.resolve(t);
            setAsk(null);
          }}
        />
      )}
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
