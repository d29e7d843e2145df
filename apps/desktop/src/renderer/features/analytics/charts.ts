// ECharts parts the analytics charts use (registered once, in addition to the app's pie chart), and the chart
// options of the performance and frontier views. Values are decimal dollars or fractions.
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartOption } from '../../charts/EChart.tsx';
import type { FrontierPointView, FrontierView, PerformanceView } from '../../workers/analytics-client.ts';

echarts.use([LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent]);

const axisStyle = { axisLine: { lineStyle: { color: '#3a4656' } }, axisLabel: { color: '#8b98a9' }, splitLine: { lineStyle: { color: '#1e2631' } } };

export function valueOption(v: PerformanceView): EChartOption {
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 30, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `$${Number(x).toLocaleString('en-US', { maximumFractionDigits: 0 })}` },
    legend: { textStyle: { color: '#8b98a9' }, top: 0 },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', scale: true, ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => (Math.abs(x) >= 1e6 ? `$${(x / 1e6).toFixed(1)}M` : `$${(x / 1000).toFixed(0)}K`) } },
    series: [{ name: 'Market value', type: 'line', data: v.chart.value, showSymbol: false, lineStyle: { width: 1.5, color: '#4c9aff' }, areaStyle: { opacity: 0.08 } }],
  };
}

export function growthOption(v: PerformanceView): EChartOption {
  const series: object[] = [{ name: 'Account (time-weighted)', type: 'line', data: v.chart.growth.map((g) => g - 1), showSymbol: false, lineStyle: { width: 1.5, color: '#4c9aff' } }];
  if (v.chart.benchmarkGrowth) {
    series.push({ name: `Benchmark ${v.benchmarkSymbol}`, type: 'line', data: v.chart.benchmarkGrowth.map((g) => g - 1), showSymbol: false, lineStyle: { width: 1.2, color: '#f5a623' } });
  }
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 30, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `${(Number(x) * 100).toFixed(2)}%` },
    legend: { textStyle: { color: '#8b98a9' }, top: 0 },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => `${(x * 100).toFixed(0)}%` } },
    series,
  };
}

export function drawdownOption(v: PerformanceView): EChartOption {
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `${(Number(x) * 100).toFixed(2)}%` },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', max: 0, ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => `${(x * 100).toFixed(0)}%` } },
    series: [{ name: 'Drawdown', type: 'line', data: v.chart.drawdown, showSymbol: false, lineStyle: { width: 1, color: '#e5534b' }, areaStyle: { color: '#e5534b', opacity: 0.25 } }],
  };
}

const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;
const pct2 = (x: number): string => `${(x * 100).toFixed(2)}%`;
const esc = (t: string): string => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

type FrontierDatum = { value: [number, number]; point: FrontierPointView };
const datum = (p: FrontierPointView): FrontierDatum => ({ value: [p.volatility, p.expectedReturn], point: p });

/** Tooltip text of a portfolio: its return, volatility, Sharpe ratio and largest weights. */
export function frontierTooltip(name: string, p: FrontierPointView): string {
  const weights = p.top.map(([s, w]) => `${esc(s)} ${pct1(w)}`).join(', ');
  return `<b>${esc(name)}</b><br/>Expected return ${pct2(p.expectedReturn)} a year<br/>Volatility ${pct2(p.volatility)} a year`
    + `<br/>Sharpe ${Number.isFinite(p.sharpe) ? p.sharpe.toFixed(2) : '—'}${weights ? `<br/>Largest weights: ${weights}` : ''}`;
}

/** The marked portfolios of a frontier view: [series name, point, symbol, colour]. */
export function frontierMarkers(v: FrontierView): [string, FrontierPointView, string, string][] {
  const out: [string, FrontierPointView, string, string][] = [];
  if (v.current) out.push(['Current portfolio', v.current, 'circle', '#4c9aff']);
  if (v.model) out.push([`Model: ${v.model.name}`, v.model, 'diamond', '#b36bff']);
  if (v.maxSharpe) out.push(['Max Sharpe', v.maxSharpe, 'triangle', '#3fb950']);
  out.push(['Min volatility', v.minVolatility, 'rect', '#f5a623']);
  return out;
}

export function frontierOption(v: FrontierView): EChartOption {
  const markers = frontierMarkers(v);
  return {
    animation: false,
    grid: { left: 80, right: 30, top: 40, bottom: 55 },
    legend: { textStyle: { color: '#8b98a9' }, top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (x: { seriesName: string; data: FrontierDatum }) => frontierTooltip(x.seriesName === 'Efficient frontier' ? 'Efficient portfolio' : x.seriesName, x.data.point),
    },
    xAxis: {
      type: 'value', scale: true, name: 'Volatility (annualized)', nameLocation: 'middle', nameGap: 32, nameTextStyle: { color: '#8b98a9' },
      ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => pct1(x) },
    },
    yAxis: {
      type: 'value', scale: true, name: 'Expected return (annualized)', nameLocation: 'middle', nameGap: 55, nameTextStyle: { color: '#8b98a9' },
      ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => pct1(x) },
    },
    series: [
      { name: 'Efficient frontier', type: 'line', data: v.points.map(datum), showSymbol: true, symbolSize: 4, lineStyle: { width: 2, color: '#8b98a9' }, itemStyle: { color: '#8b98a9' } },
      ...markers.map(([name, p, symbol, color]) => ({ name, type: 'scatter', data: [datum(p)], symbol, symbolSize: 14, itemStyle: { color }, z: 3 })),
    ],
  };
}
